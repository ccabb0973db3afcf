namespace Serverless.Storage;

/// <summary>Blob containers: named, immutable-or-conditional byte streams.</summary>
public interface IBlobStore
{
    Task CreateContainerIfNotExistsAsync(string container, CancellationToken cancellationToken = default);

    /// <returns>The blob's properties, or <c>null</c> when it does not exist.</returns>
    Task<BlobItem?> GetPropertiesAsync(string container, string name, CancellationToken cancellationToken = default);

    /// <summary>Opens the blob for streaming reads.</summary>
    /// <exception cref="StorageNotFoundException">The blob does not exist.</exception>
    Task<Stream> OpenReadAsync(string container, string name, CancellationToken cancellationToken = default);

    /// <summary>
    /// The whole blob in one request: one version of it even while a writer replaces it (a streamed read of a blob
    /// replaced between its open and its first read fails instead). For small, mutable blobs (state, JSON documents).
    /// </summary>
    /// <exception cref="StorageNotFoundException">The blob does not exist.</exception>
    Task<byte[]> DownloadBytesAsync(string container, string name, CancellationToken cancellationToken = default);

    /// <summary>Writes the stream (streamed in blocks; never buffered whole) and returns the new properties.</summary>
    /// <exception cref="StorageConflictException">A condition in <paramref name="options"/> failed.</exception>
    Task<BlobItem> UploadAsync(string container, string name, Stream content, BlobWriteOptions? options = null, CancellationToken cancellationToken = default);

    /// <summary>
    /// Copies the blob <paramref name="sourceName"/> of <paramref name="sourceContainer"/> (same account) to
    /// <paramref name="name"/> on the storage side, no bytes passing through the caller, only while the source still has
    /// the ETag <paramref name="sourceIfMatch"/>: the copy holds exactly the bytes of that version, and never changes when
    /// the source does. Returns when the copy is complete. The copy keeps the source's content type; without
    /// <see cref="BlobWriteOptions.Metadata"/>, also its metadata.
    /// </summary>
    /// <exception cref="StorageNotFoundException">The source does not exist.</exception>
    /// <exception cref="StorageConflictException">The source no longer has <paramref name="sourceIfMatch"/>, or a condition in <paramref name="options"/> failed.</exception>
    /// <exception cref="ArgumentException"><paramref name="options"/> sets a content type (a copy keeps the source's).</exception>
    Task<BlobItem> CopyAsync(string sourceContainer, string sourceName, ETag sourceIfMatch, string container, string name, BlobWriteOptions? options = null, CancellationToken cancellationToken = default);

    /// <summary>
    /// Appends <paramref name="block"/> (at most 4 MiB) to the append blob <paramref name="name"/>, creating it when
    /// missing. A block lands whole or not at all; concurrent appenders never interleave inside a block.
    /// </summary>
    /// <exception cref="StorageConflictException">The blob exists and is not an append blob, or holds 50,000 blocks.</exception>
    Task AppendAsync(string container, string name, ReadOnlyMemory<byte> block, CancellationToken cancellationToken = default);

    /// <summary>
    /// Reads <paramref name="destination"/>'s length of bytes from <paramref name="offset"/> in one request (a range
    /// read: one version of the blob).
    /// </summary>
    /// <exception cref="StorageNotFoundException">The blob does not exist.</exception>
    /// <exception cref="EndOfStreamException">The blob ends before the range does.</exception>
    Task ReadRangeAsync(string container, string name, long offset, Memory<byte> destination, CancellationToken cancellationToken = default);

    /// <summary>
    /// Stages <paramref name="content"/> (not empty) as block <paramref name="blockId"/> (at most 64 characters) of
    /// the block blob <paramref name="name"/>. Nothing is visible until <see cref="CommitBlockListAsync"/> names the
    /// block; staging the same id again replaces the staged block, so a retried writer is idempotent.
    /// </summary>
    Task StageBlockAsync(string container, string name, string blockId, ReadOnlyMemory<byte> content, CancellationToken cancellationToken = default);

    /// <summary>
    /// Makes the blob the named blocks in this order, in one request (readers see the old blob or the whole new one);
    /// staged blocks it does not name are discarded. Committing the same list again is idempotent.
    /// </summary>
    /// <exception cref="StorageNotFoundException">A named block was neither staged nor is part of the blob.</exception>
    /// <exception cref="StorageConflictException">A condition in <paramref name="options"/> failed.</exception>
    Task<BlobItem> CommitBlockListAsync(string container, string name, IReadOnlyList<string> blockIds, BlobWriteOptions? options = null, CancellationToken cancellationToken = default);

    /// <returns><c>true</c> when a blob was deleted.</returns>
    Task<bool> DeleteIfExistsAsync(string container, string name, ETag? ifMatch = null, CancellationToken cancellationToken = default);

    /// <summary>Lists blobs by name prefix, in name order.</summary>
    IAsyncEnumerable<BlobItem> ListAsync(string container, string? prefix = null, CancellationToken cancellationToken = default);
}
