namespace Serverless.Hosting.Blobs;

/// <summary>
/// The blob a blob trigger fired for, from its <c>BlobTrigger</c> binding data (<c>{container}/{name}</c>), with the
/// name split at its first <c>/</c> (the product's <c>{project}/{any/path}</c> layouts). The same on both hosts.
/// </summary>
public sealed record TriggeredBlob(string Container, string Name)
{
    /// <summary>The first segment of the name (<c>{project}</c> or <c>{model}</c>); empty when the blob sits at the container's root.</summary>
    public string Owner => Name.IndexOf('/', StringComparison.Ordinal) is > 0 and var slash ? Name[..slash] : string.Empty;

    /// <summary>The rest of the name after <see cref="Owner"/>.</summary>
    public string Path => Name.IndexOf('/', StringComparison.Ordinal) is > 0 and var slash ? Name[(slash + 1)..] : Name;

    public static TriggeredBlob Parse(string blobTrigger)
    {
        ArgumentException.ThrowIfNullOrEmpty(blobTrigger);
        var slash = blobTrigger.IndexOf('/', StringComparison.Ordinal);
        return slash <= 0 || slash == blobTrigger.Length - 1
            ? throw new FormatException($"'{blobTrigger}' is not a blob path ({{container}}/{{name}}).")
            : new TriggeredBlob(blobTrigger[..slash], blobTrigger[(slash + 1)..]);
    }

    public override string ToString() => $"{Container}/{Name}";
}
