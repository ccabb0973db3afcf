using Serverless.Storage;

namespace Serverless.Hosting.Invocation;

/// <summary>The blob version a blob trigger fires for; bound to a <c>Stream</c>, <c>string</c>, <c>byte[]</c> or <c>BinaryData</c> parameter.</summary>
public sealed record BlobTriggerValue(BlobItem Blob, IBlobStore Store)
{
    /// <summary>The binding data the Functions host gives a blob trigger besides the path's captures.</summary>
    public IReadOnlyDictionary<string, object?> BindingData(IReadOnlyDictionary<string, string> captures)
    {
        ArgumentNullException.ThrowIfNull(captures);
        var data = new Dictionary<string, object?>(StringComparer.OrdinalIgnoreCase)
        {
            ["BlobTrigger"] = $"{Blob.Container}/{Blob.Name}",
            ["Name"] = Blob.Name,
        };
        foreach (var (key, value) in captures)
        {
            data[key] = value;
        }

        return data;
    }
}
