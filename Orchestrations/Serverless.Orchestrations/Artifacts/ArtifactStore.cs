using System.Text.Json;
using Serverless.Data.Snapshots;
using Serverless.Data.Splitting;
using Serverless.Domain.Datasets;
using Serverless.Registry;
using Serverless.Storage;

namespace Serverless.Orchestrations.Artifacts;

/// <summary>
/// The pipeline's reads and writes in the <c>artifacts</c> container. Paths are immutable (by content hash or
/// run id, dataset artifacts also by the spec they were derived under, see <see cref="Training.ArtifactPaths"/>) and dataset
/// artifacts are written create-only, so frames read here are cached in-process by path: candidates trained on the same
/// host share one copy, and a cached frame can never be stale. A run's split is row indexes over the dataset's one frame
/// (<see cref="DatasetSplitSerializer"/>); its three parts are cached the same way, by the split's path.
/// </summary>
public sealed class ArtifactStore(IBlobStore blobs, RegistryTables names)
{
    private readonly ArtifactCache<TabularFrame> _frames = new(2);
    private readonly ArtifactCache<SplitFrames> _splits = new(2);

    public string Container => names.ArtifactsContainer;

    public Task<BlobItem?> GetPropertiesAsync(string path, CancellationToken cancellationToken) => blobs.GetPropertiesAsync(Container, path, cancellationToken);

    public Task<Stream> OpenReadAsync(string path, CancellationToken cancellationToken) => blobs.OpenReadAsync(Container, path, cancellationToken);

    /// <summary>The text of an artifact, or <c>null</c> when it does not exist.</summary>
    public Task<string?> TryReadTextAsync(string path, CancellationToken cancellationToken) => blobs.TryDownloadTextAsync(Container, path, cancellationToken);

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

    /// <summary>Writes <paramref name="value"/> unless <paramref name="path"/> exists; an existing blob is never replaced.</summary>
    /// <returns><c>false</c> when the blob was already there (written by an earlier attempt or another host).</returns>
    public Task<bool> WriteJsonOnceAsync<T>(string path, T value, CancellationToken cancellationToken) =>
        OnceAsync(() => blobs.UploadTextAsync(Container, path, JsonSerializer.Serialize(value, RegistryJson.Options), new BlobWriteOptions { CreateOnly = true, ContentType = "application/json" }, cancellationToken));

    /// <summary>Writes <paramref name="content"/> unless <paramref name="path"/> exists; an existing blob is never replaced.</summary>
    /// <returns><c>false</c> when the blob was already there.</returns>
    public Task<bool> WriteBytesOnceAsync(string path, ReadOnlyMemory<byte> content, string contentType, CancellationToken cancellationToken) =>
        OnceAsync(() => blobs.UploadBytesAsync(Container, path, content, new BlobWriteOptions { CreateOnly = true, ContentType = contentType }, cancellationToken));

    /// <summary>Writes <paramref name="content"/> unless <paramref name="path"/> exists; an existing blob is never replaced.</summary>
    /// <returns><c>false</c> when the blob was already there.</returns>
    public Task<bool> WriteStreamOnceAsync(string path, Stream content, string contentType, CancellationToken cancellationToken) =>
        OnceAsync(() => blobs.UploadAsync(Container, path, content, new BlobWriteOptions { CreateOnly = true, ContentType = contentType }, cancellationToken));

    /// <summary>
    /// Keeps at <paramref name="path"/> (unless it exists; an existing artifact is never replaced) a storage-side copy of
    /// another container's blob as it was at <paramref name="sourceETag"/>, the version the caller read: no bytes pass
    /// through this host.
    /// </summary>
    /// <returns><c>false</c> when the source has changed or gone since that version (nothing was written); else the artifact is there.</returns>
    public async Task<bool> CopyOnceAsync(string path, string sourceContainer, string sourceName, ETag sourceETag, CancellationToken cancellationToken)
    {
        try
        {
            await blobs.CopyAsync(sourceContainer, sourceName, sourceETag, Container, path, BlobWriteOptions.Immutable, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (StorageConflictException)
        {
            return await GetPropertiesAsync(path, cancellationToken).ConfigureAwait(false) is not null; // written before: the stored bytes stand
        }
        catch (StorageNotFoundException)
        {
            return false;
        }
    }

    /// <summary>The blobs of every run folder (<see cref="Training.ArtifactPaths.RunFolder"/>), by run id.</summary>
    public async Task<IReadOnlyDictionary<string, IReadOnlyList<BlobItem>>> ListRunFoldersAsync(CancellationToken cancellationToken)
    {
        var folders = new Dictionary<string, List<BlobItem>>(StringComparer.Ordinal);
        await foreach (var blob in blobs.ListAsync(Container, Training.ArtifactPaths.RunsFolder + "/", cancellationToken).ConfigureAwait(false))
        {
            if (Training.ArtifactPaths.RunIdOf(blob.Name) is not { } runId)
            {
                continue;
            }

            if (!folders.TryGetValue(runId, out var items))
            {
                folders[runId] = items = [];
            }

            items.Add(blob);
        }

        return folders.ToDictionary(f => f.Key, f => (IReadOnlyList<BlobItem>)f.Value, StringComparer.Ordinal);
    }

    /// <summary>Deletes the run folder's blobs listed in <paramref name="items"/> (the run is gone and registered nothing: see <c>Housekeeping</c>).</summary>
    public async Task DeleteRunFolderAsync(string runId, IEnumerable<BlobItem> items, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(items);
        var folder = Training.ArtifactPaths.RunFolder(runId) + "/";
        foreach (var blob in items)
        {
            if (!blob.Name.StartsWith(folder, StringComparison.Ordinal))
            {
                throw new ArgumentException($"'{blob.Name}' is not in run folder '{folder}'.", nameof(items));
            }

            await blobs.DeleteIfExistsAsync(Container, blob.Name, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
    }

    public async Task<T> ReadJsonAsync<T>(string path, CancellationToken cancellationToken) =>
        JsonSerializer.Deserialize<T>(await blobs.DownloadTextAsync(Container, path, cancellationToken).ConfigureAwait(false), RegistryJson.Options)
        ?? throw new InvalidDataException($"Artifact '{path}' is empty.");

    /// <summary>Writes a frame through a temporary file, so a large frame is never held twice in memory.</summary>
    public Task WriteFrameAsync(string path, TabularFrame frame, CancellationToken cancellationToken) =>
        WriteFrameAsync(path, frame, BlobWriteOptions.Overwrite, cancellationToken);

    /// <summary>
    /// Writes a frame unless <paramref name="path"/> exists; an existing frame is never replaced, and is what readers of
    /// the path get (this host's copy is cached only when it is the one stored).
    /// </summary>
    /// <returns><c>false</c> when the frame was already there.</returns>
    public Task<bool> WriteFrameOnceAsync(string path, TabularFrame frame, CancellationToken cancellationToken) =>
        OnceAsync(() => WriteFrameAsync(path, frame, BlobWriteOptions.Immutable, cancellationToken));

    private async Task WriteFrameAsync(string path, TabularFrame frame, BlobWriteOptions options, CancellationToken cancellationToken)
    {
        var temp = Path.GetTempFileName();
        try
        {
            await using (var file = new FileStream(temp, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16, FileOptions.Asynchronous))
            {
                await TabularFrameSerializer.WriteAsync(file, frame, cancellationToken).ConfigureAwait(false);
            }

            await using var upload = new FileStream(temp, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.Asynchronous);
            await blobs.UploadAsync(Container, path, upload, options with { ContentType = "application/octet-stream" }, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            File.Delete(temp);
        }

        _frames.Remember(path, Task.FromResult(frame));
    }

    public Task<TabularFrame> ReadFrameAsync(string path, CancellationToken cancellationToken) =>
        _frames.GetOrLoad(path, () => LoadFrameAsync(path, cancellationToken));

    /// <summary>Writes a run's split (row indexes over <paramref name="frame"/>) and keeps its parts in the cache.</summary>
    public async Task WriteSplitAsync(string path, TabularFrame frame, DatasetSplit split, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(frame);
        await blobs.UploadBytesAsync(Container, path, DatasetSplitSerializer.Write(split), new BlobWriteOptions { ContentType = "application/octet-stream" }, cancellationToken).ConfigureAwait(false);
        _splits.Remember(path, Task.FromResult(SplitFrames.Of(frame, split)));
    }

    /// <summary>The train, validation and test rows of a run's split, taken from the dataset's frame (both cached by path).</summary>
    public Task<SplitFrames> ReadSplitAsync(string path, string framePath, CancellationToken cancellationToken) =>
        _splits.GetOrLoad(path, async () =>
        {
            var frame = await ReadFrameAsync(framePath, cancellationToken).ConfigureAwait(false);
            var bytes = await blobs.DownloadBytesAsync(Container, path, cancellationToken).ConfigureAwait(false);
            return SplitFrames.Of(frame, DatasetSplitSerializer.Read(bytes, frame.RowCount));
        });

    private static async Task<bool> OnceAsync(Func<Task> write)
    {
        try
        {
            await write().ConfigureAwait(false);
            return true;
        }
        catch (StorageConflictException)
        {
            return false; // written before: the stored bytes stand
        }
    }

    private async Task<TabularFrame> LoadFrameAsync(string path, CancellationToken cancellationToken)
    {
        await using var stream = await blobs.OpenReadAsync(Container, path, cancellationToken).ConfigureAwait(false);
        return await TabularFrameSerializer.ReadAsync(stream, cancellationToken).ConfigureAwait(false);
    }
}
