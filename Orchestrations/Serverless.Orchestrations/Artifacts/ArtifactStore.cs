using System.Text.Json;
using Serverless.Data.Snapshots;
using Serverless.Domain.Datasets;
using Serverless.Registry;
using Serverless.Storage;

namespace Serverless.Orchestrations.Artifacts;

/// <summary>
/// The pipeline's reads and writes in the <c>artifacts</c> container. Paths are immutable (by content hash or
/// run id), so frames read here are cached in-process: candidates trained on the same host share one copy.
/// </summary>
public sealed class ArtifactStore(IBlobStore blobs, RegistryTables names)
{
    private const int CachedFrames = 4;
    private readonly LinkedList<(string Path, Task<TabularFrame> Frame)> _frames = new();
    private readonly Lock _gate = new();

    public string Container => names.ArtifactsContainer;

    public Task<BlobItem?> GetPropertiesAsync(string path, CancellationToken cancellationToken) => blobs.GetPropertiesAsync(Container, path, cancellationToken);

    public Task<Stream> OpenReadAsync(string path, CancellationToken cancellationToken) => blobs.OpenReadAsync(Container, path, cancellationToken);

    public Task<byte[]> ReadBytesAsync(string path, CancellationToken cancellationToken) => blobs.DownloadBytesAsync(Container, path, cancellationToken);

    public Task WriteBytesAsync(string path, ReadOnlyMemory<byte> content, string contentType, CancellationToken cancellationToken) =>
        blobs.UploadBytesAsync(Container, path, content, new BlobWriteOptions { ContentType = contentType }, cancellationToken);

    /// <summary>Writes <paramref name="path"/> only if it does not exist yet.</summary>
    /// <exception cref="StorageConflictException">The artifact already exists; it is never replaced.</exception>
    public Task WriteOnceAsync(string path, ReadOnlyMemory<byte> content, string contentType, CancellationToken cancellationToken) =>
        blobs.UploadBytesAsync(Container, path, content, new BlobWriteOptions { CreateOnly = true, ContentType = contentType }, cancellationToken);

    public Task WriteStreamAsync(string path, Stream content, string contentType, CancellationToken cancellationToken) =>
        blobs.UploadAsync(Container, path, content, new BlobWriteOptions { ContentType = contentType }, cancellationToken);

    public Task WriteJsonAsync<T>(string path, T value, CancellationToken cancellationToken) =>
        blobs.UploadTextAsync(Container, path, JsonSerializer.Serialize(value, RegistryJson.Options), new BlobWriteOptions { ContentType = "application/json" }, cancellationToken);

    public async Task<T> ReadJsonAsync<T>(string path, CancellationToken cancellationToken) =>
        JsonSerializer.Deserialize<T>(await blobs.DownloadTextAsync(Container, path, cancellationToken).ConfigureAwait(false), RegistryJson.Options)
        ?? throw new InvalidDataException($"Artifact '{path}' is empty.");

    /// <summary>Writes a frame through a temporary file, so a large frame is never held twice in memory.</summary>
    public async Task WriteFrameAsync(string path, TabularFrame frame, CancellationToken cancellationToken)
    {
        var temp = Path.GetTempFileName();
        try
        {
            await using (var file = new FileStream(temp, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16, FileOptions.Asynchronous))
            {
                await TabularFrameSerializer.WriteAsync(file, frame, cancellationToken).ConfigureAwait(false);
            }

            await using var upload = new FileStream(temp, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.Asynchronous);
            await blobs.UploadAsync(Container, path, upload, new BlobWriteOptions { ContentType = "application/octet-stream" }, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            File.Delete(temp);
        }

        Remember(path, Task.FromResult(frame));
    }

    public Task<TabularFrame> ReadFrameAsync(string path, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            for (var node = _frames.First; node is not null; node = node.Next)
            {
                if (node.Value.Path == path && !node.Value.Frame.IsFaulted && !node.Value.Frame.IsCanceled)
                {
                    _frames.Remove(node);
                    _frames.AddFirst(node);
                    return node.Value.Frame;
                }
            }
        }

        var loading = LoadFrameAsync(path, cancellationToken);
        Remember(path, loading);
        return loading;
    }

    private async Task<TabularFrame> LoadFrameAsync(string path, CancellationToken cancellationToken)
    {
        await using var stream = await blobs.OpenReadAsync(Container, path, cancellationToken).ConfigureAwait(false);
        return await TabularFrameSerializer.ReadAsync(stream, cancellationToken).ConfigureAwait(false);
    }

    private void Remember(string path, Task<TabularFrame> frame)
    {
        lock (_gate)
        {
            for (var node = _frames.First; node is not null; node = node.Next)
            {
                if (node.Value.Path == path)
                {
                    _frames.Remove(node);
                    break;
                }
            }

            _frames.AddFirst((path, frame));
            while (_frames.Count > CachedFrames)
            {
                _frames.RemoveLast();
            }
        }
    }
}
