using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using Serverless.Storage;

namespace Serverless.Hosting.Tests.Timers;

/// <summary>Blobs in memory with ETag conditions, as the Azure store applies them; optionally holds writes until N writers wait, to interleave callers.</summary>
internal sealed class InMemoryBlobStore : IBlobStore
{
    private readonly ConcurrentDictionary<string, (byte[] Content, ETag ETag)> _blobs = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<(string Blob, string BlockId), byte[]> _staged = new();
    private readonly Lock _gate = new();
    private int _version;
    private int _heldWriters;
    private TaskCompletionSource _release = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>When above 1, a write waits until this many writes wait (so their reads all came first).</summary>
    public int HoldWritesUntil { get; set; }

    public Task CreateContainerIfNotExistsAsync(string container, CancellationToken cancellationToken = default) => Task.CompletedTask;

    public Task<BlobItem?> GetPropertiesAsync(string container, string name, CancellationToken cancellationToken = default) =>
        Task.FromResult(_blobs.TryGetValue(Key(container, name), out var blob) ? Item(container, name, blob) : null);

    public Task<Stream> OpenReadAsync(string container, string name, CancellationToken cancellationToken = default) =>
        _blobs.TryGetValue(Key(container, name), out var blob)
            ? Task.FromResult<Stream>(new MemoryStream(blob.Content, writable: false))
            : Task.FromException<Stream>(new StorageNotFoundException(name));

    public Task<byte[]> DownloadBytesAsync(string container, string name, CancellationToken cancellationToken = default) =>
        _blobs.TryGetValue(Key(container, name), out var blob)
            ? Task.FromResult(blob.Content.ToArray())
            : Task.FromException<byte[]>(new StorageNotFoundException(name));

    public async Task<BlobItem> UploadAsync(string container, string name, Stream content, BlobWriteOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(content);
        using var buffer = new MemoryStream();
        await content.CopyToAsync(buffer, cancellationToken);
        await HoldAsync(cancellationToken);
        lock (_gate)
        {
            var key = Key(container, name);
            var exists = _blobs.TryGetValue(key, out var current);
            if ((options?.CreateOnly == true && exists) || (options?.IfMatch is { } etag && (!exists || current.ETag != etag)))
            {
                throw new StorageConflictException($"Condition failed on {name}");
            }

            var blob = (buffer.ToArray(), new ETag($"\"{++_version}\""));
            _blobs[key] = blob;
            return Item(container, name, blob);
        }
    }

    public Task<BlobItem> CopyAsync(
        string sourceContainer, string sourceName, ETag sourceIfMatch, string container, string name, BlobWriteOptions? options = null, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            if (!_blobs.TryGetValue(Key(sourceContainer, sourceName), out var source))
            {
                throw new StorageNotFoundException(sourceName);
            }

            var key = Key(container, name);
            var exists = _blobs.TryGetValue(key, out var current);
            if (source.ETag != sourceIfMatch || (options?.CreateOnly == true && exists) || (options?.IfMatch is { } etag && (!exists || current.ETag != etag)))
            {
                throw new StorageConflictException($"Condition failed on {name}");
            }

            var blob = (source.Content.ToArray(), new ETag($"\"{++_version}\""));
            _blobs[key] = blob;
            return Task.FromResult(Item(container, name, blob));
        }
    }

    public Task AppendAsync(string container, string name, ReadOnlyMemory<byte> block, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            var key = Key(container, name);
            var content = _blobs.TryGetValue(key, out var current) ? [.. current.Content, .. block.Span] : block.ToArray();
            _blobs[key] = (content, new ETag($"\"{++_version}\""));
        }

        return Task.CompletedTask;
    }

    public Task ReadRangeAsync(string container, string name, long offset, Memory<byte> destination, CancellationToken cancellationToken = default)
    {
        if (!_blobs.TryGetValue(Key(container, name), out var blob))
        {
            return Task.FromException(new StorageNotFoundException(name));
        }

        if (offset + destination.Length > blob.Content.Length)
        {
            return Task.FromException(new EndOfStreamException(name));
        }

        blob.Content.AsMemory((int)offset, destination.Length).CopyTo(destination);
        return Task.CompletedTask;
    }

    public Task StageBlockAsync(string container, string name, string blockId, ReadOnlyMemory<byte> content, CancellationToken cancellationToken = default)
    {
        _staged[(Key(container, name), blockId)] = content.ToArray();
        return Task.CompletedTask;
    }

    public Task<BlobItem> CommitBlockListAsync(string container, string name, IReadOnlyList<string> blockIds, BlobWriteOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(blockIds);
        var key = Key(container, name);
        var blocks = blockIds.Select(id => _staged.TryGetValue((key, id), out var block) ? block : throw new StorageNotFoundException($"Block {id} of {name}")).ToList();
        lock (_gate)
        {
            var blob = (blocks.SelectMany(b => b).ToArray(), new ETag($"\"{++_version}\""));
            _blobs[key] = blob;
            return Task.FromResult(Item(container, name, blob));
        }
    }

    public Task<bool> DeleteIfExistsAsync(string container, string name, ETag? ifMatch = null, CancellationToken cancellationToken = default) =>
        Task.FromResult(_blobs.TryRemove(Key(container, name), out _));

    public async IAsyncEnumerable<BlobItem> ListAsync(string container, string? prefix = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await Task.Yield();
        foreach (var (key, blob) in _blobs.OrderBy(b => b.Key, StringComparer.Ordinal))
        {
            var name = key[(container.Length + 1)..];
            if (key.StartsWith(container + "/", StringComparison.Ordinal) && name.StartsWith(prefix ?? string.Empty, StringComparison.Ordinal))
            {
                yield return Item(container, name, blob);
            }
        }
    }

    private static string Key(string container, string name) => container + "/" + name;

    private static BlobItem Item(string container, string name, (byte[] Content, ETag ETag) blob) =>
        new(container, name, blob.ETag, blob.Content.Length, DateTimeOffset.UnixEpoch);

    private Task HoldAsync(CancellationToken cancellationToken)
    {
        TaskCompletionSource release;
        lock (_gate)
        {
            if (HoldWritesUntil <= 1)
            {
                return Task.CompletedTask;
            }

            release = _release;
            if (++_heldWriters >= HoldWritesUntil)
            {
                _heldWriters = 0;
                HoldWritesUntil = 0;
                _release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                release.SetResult();
            }
        }

        return release.Task.WaitAsync(TimeSpan.FromSeconds(10), cancellationToken);
    }
}
