using Serverless.Storage;

namespace Serverless.Hosting;

/// <summary>The blob version that triggered an invocation, with the values its path pattern captured.</summary>
public sealed class BlobTriggerContext(BlobItem blob, IReadOnlyDictionary<string, string> bindingData, IBlobStore store)
{
    public string Container => blob.Container;

    public string Name => blob.Name;

    public ETag ETag => blob.ETag;

    public long Length => blob.Length;

    public BlobItem Properties => blob;

    /// <summary>Values captured by the trigger's path pattern, such as <c>project</c> and <c>path</c>.</summary>
    public IReadOnlyDictionary<string, string> BindingData => bindingData;

    /// <summary>Opens the blob for reading.</summary>
    public Task<Stream> OpenReadAsync(CancellationToken cancellationToken = default) =>
        store.OpenReadAsync(blob.Container, blob.Name, cancellationToken);
}
