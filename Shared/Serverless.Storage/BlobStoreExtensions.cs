using System.Text;

namespace Serverless.Storage;

/// <summary>Small conveniences over <see cref="IBlobStore"/> for text and bytes.</summary>
public static class BlobStoreExtensions
{
    public static async Task<BlobItem> UploadBytesAsync(this IBlobStore store, string container, string name, ReadOnlyMemory<byte> content, BlobWriteOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        using var stream = new MemoryStream(content.ToArray(), writable: false);
        return await store.UploadAsync(container, name, stream, options, cancellationToken).ConfigureAwait(false);
    }

    public static Task<BlobItem> UploadTextAsync(this IBlobStore store, string container, string name, string content, BlobWriteOptions? options = null, CancellationToken cancellationToken = default) =>
        store.UploadBytesAsync(container, name, Encoding.UTF8.GetBytes(content), options, cancellationToken);

    public static async Task<string> DownloadTextAsync(this IBlobStore store, string container, string name, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        return Encoding.UTF8.GetString(await store.DownloadBytesAsync(container, name, cancellationToken).ConfigureAwait(false));
    }

    /// <returns>The text, or <c>null</c> when the blob does not exist.</returns>
    public static async Task<string?> TryDownloadTextAsync(this IBlobStore store, string container, string name, CancellationToken cancellationToken = default)
    {
        try
        {
            return await store.DownloadTextAsync(container, name, cancellationToken).ConfigureAwait(false);
        }
        catch (StorageNotFoundException)
        {
            return null;
        }
    }
}
