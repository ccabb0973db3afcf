using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using System.Text;
using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Azure.Storage.Blobs.Specialized;
using AzureETag = Azure.ETag;

namespace Serverless.Storage.Azure;

/// <summary><see cref="IBlobStore"/> on Azure Blob storage.</summary>
public sealed class AzureBlobStore(AzureStorageClients clients) : IBlobStore
{
    private const int MaxBlockIdLength = 64;

    private readonly ConcurrentDictionary<string, BlobContainerClient> _containers = new(StringComparer.Ordinal);

    internal BlobContainerClient Container(string container) =>
        _containers.GetOrAdd(container, static (name, service) => service.GetBlobContainerClient(name), clients.Blobs);

    public async Task CreateContainerIfNotExistsAsync(string container, CancellationToken cancellationToken = default) =>
        await Container(container).CreateIfNotExistsAsync(cancellationToken: cancellationToken).ConfigureAwait(false);

    public async Task<BlobItem?> GetPropertiesAsync(string container, string name, CancellationToken cancellationToken = default)
    {
        try
        {
            var properties = await Container(container).GetBlobClient(name).GetPropertiesAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
            var p = properties.Value;
            return new BlobItem(container, name, Normalize(p.ETag), p.ContentLength, p.LastModified, p.ContentType, ToReadOnly(p.Metadata));
        }
        catch (RequestFailedException e) when (AzureErrors.IsNotFound(e))
        {
            return null;
        }
    }

    public async Task<Stream> OpenReadAsync(string container, string name, CancellationToken cancellationToken = default)
    {
        try
        {
            return await Container(container).GetBlobClient(name)
                .OpenReadAsync(new BlobOpenReadOptions(allowModifications: false) { BufferSize = 4 * 1024 * 1024 }, cancellationToken)
                .ConfigureAwait(false);
        }
        catch (RequestFailedException e)
        {
            throw AzureErrors.Translate(e, $"Blob '{container}/{name}'");
        }
    }

    public async Task<byte[]> DownloadBytesAsync(string container, string name, CancellationToken cancellationToken = default)
    {
        try
        {
            var download = await Container(container).GetBlobClient(name).DownloadContentAsync(cancellationToken).ConfigureAwait(false);
            return download.Value.Content.ToArray();
        }
        catch (RequestFailedException e)
        {
            throw AzureErrors.Translate(e, $"Blob '{container}/{name}'");
        }
    }

    public async Task<BlobItem> UploadAsync(string container, string name, Stream content, BlobWriteOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= BlobWriteOptions.Overwrite;
        var upload = new BlobUploadOptions
        {
            Conditions = Conditions(options),
            HttpHeaders = options.ContentType is null ? null : new BlobHttpHeaders { ContentType = options.ContentType },
            Metadata = options.Metadata?.ToDictionary(kv => kv.Key, kv => kv.Value),
            TransferOptions = new global::Azure.Storage.StorageTransferOptions
            {
                InitialTransferSize = 8 * 1024 * 1024,
                MaximumTransferSize = 8 * 1024 * 1024,
                MaximumConcurrency = 2,
            },
        };

        try
        {
            var blob = Container(container).GetBlobClient(name);
            var result = await blob.UploadAsync(content, upload, cancellationToken).ConfigureAwait(false);
            long length = content.CanSeek ? content.Length : -1;
            return new BlobItem(container, name, Normalize(result.Value.ETag), length, result.Value.LastModified, options.ContentType, options.Metadata);
        }
        catch (RequestFailedException e)
        {
            throw AzureErrors.Translate(e, $"Blob '{container}/{name}'");
        }
    }

    public async Task<BlobItem> CopyAsync(
        string sourceContainer, string sourceName, ETag sourceIfMatch, string container, string name, BlobWriteOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= BlobWriteOptions.Overwrite;
        if (options.ContentType is not null)
        {
            throw new ArgumentException("A copy keeps the source's content type.", nameof(options));
        }

        var source = Container(sourceContainer).GetBlobClient(sourceName);
        var target = Container(container).GetBlobClient(name);
        var copy = new BlobCopyFromUriOptions
        {
            SourceConditions = new BlobRequestConditions { IfMatch = ToSdk(sourceIfMatch) },
            DestinationConditions = Conditions(options),
            Metadata = options.Metadata?.ToDictionary(kv => kv.Key, kv => kv.Value),
        };

        try
        {
            // Within one account the service usually completes the copy at once; otherwise it is polled until done.
            var operation = await target.StartCopyFromUriAsync(source.Uri, copy, cancellationToken).ConfigureAwait(false);
            await operation.WaitForCompletionAsync(cancellationToken).ConfigureAwait(false);
            var p = (await target.GetPropertiesAsync(cancellationToken: cancellationToken).ConfigureAwait(false)).Value;
            if (p.CopyStatus != CopyStatus.Success)
            {
                throw new IOException($"Copy of blob '{sourceContainer}/{sourceName}' to '{container}/{name}' ended {p.CopyStatus}: {p.CopyStatusDescription}");
            }

            return new BlobItem(container, name, Normalize(p.ETag), p.ContentLength, p.LastModified, p.ContentType, ToReadOnly(p.Metadata));
        }
        catch (RequestFailedException e)
        {
            throw AzureErrors.Translate(e, $"Copy of blob '{sourceContainer}/{sourceName}' to '{container}/{name}'");
        }
    }

    public async Task AppendAsync(string container, string name, ReadOnlyMemory<byte> block, CancellationToken cancellationToken = default)
    {
        var blob = Container(container).GetAppendBlobClient(name);
        try
        {
            try
            {
                await AppendBlockAsync(blob, block, cancellationToken).ConfigureAwait(false);
            }
            catch (RequestFailedException e) when (AzureErrors.IsNotFound(e))
            {
                // The first block of the blob: create it (another appender may have just done so) and append again.
                await blob.CreateIfNotExistsAsync(new AppendBlobCreateOptions(), cancellationToken).ConfigureAwait(false);
                await AppendBlockAsync(blob, block, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (RequestFailedException e)
        {
            throw AzureErrors.Translate(e, $"Append blob '{container}/{name}'");
        }
    }

    private static async Task AppendBlockAsync(AppendBlobClient blob, ReadOnlyMemory<byte> block, CancellationToken cancellationToken)
    {
        using var content = BinaryData.FromBytes(block).ToStream();
        await blob.AppendBlockAsync(content, cancellationToken: cancellationToken).ConfigureAwait(false);
    }

    public async Task ReadRangeAsync(string container, string name, long offset, Memory<byte> destination, CancellationToken cancellationToken = default)
    {
        try
        {
            var range = new HttpRange(offset, destination.Length);
            var download = await Container(container).GetBlobClient(name)
                .DownloadStreamingAsync(new BlobDownloadOptions { Range = range }, cancellationToken).ConfigureAwait(false);
            await using var content = download.Value.Content;
            await content.ReadExactlyAsync(destination, cancellationToken).ConfigureAwait(false);
        }
        catch (RequestFailedException e) when (e.Status == 416)
        {
            throw new EndOfStreamException($"Blob '{container}/{name}' ends before byte {offset + destination.Length}.", e);
        }
        catch (RequestFailedException e)
        {
            throw AzureErrors.Translate(e, $"Blob '{container}/{name}'");
        }
    }

    public async Task StageBlockAsync(string container, string name, string blockId, ReadOnlyMemory<byte> content, CancellationToken cancellationToken = default)
    {
        if (content.IsEmpty)
        {
            throw new ArgumentException("A staged block holds at least one byte.", nameof(content));
        }

        try
        {
            using var stream = BinaryData.FromBytes(content).ToStream();
            await Container(container).GetBlockBlobClient(name).StageBlockAsync(EncodeBlockId(blockId), stream, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (RequestFailedException e)
        {
            throw AzureErrors.Translate(e, $"Block '{blockId}' of blob '{container}/{name}'");
        }
    }

    public async Task<BlobItem> CommitBlockListAsync(string container, string name, IReadOnlyList<string> blockIds, BlobWriteOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(blockIds);
        options ??= BlobWriteOptions.Overwrite;
        var commit = new CommitBlockListOptions
        {
            Conditions = Conditions(options),
            HttpHeaders = options.ContentType is null ? null : new BlobHttpHeaders { ContentType = options.ContentType },
            Metadata = options.Metadata?.ToDictionary(kv => kv.Key, kv => kv.Value),
        };

        try
        {
            var result = await Container(container).GetBlockBlobClient(name)
                .CommitBlockListAsync(blockIds.Select(EncodeBlockId), commit, cancellationToken).ConfigureAwait(false);
            return new BlobItem(container, name, Normalize(result.Value.ETag), -1, result.Value.LastModified, options.ContentType, options.Metadata);
        }
        catch (RequestFailedException e) when (e.ErrorCode == "InvalidBlockList")
        {
            throw new StorageNotFoundException($"Blob '{container}/{name}': a block of the list was not staged ({e.ErrorCode}).", e);
        }
        catch (RequestFailedException e)
        {
            throw AzureErrors.Translate(e, $"Blob '{container}/{name}'");
        }
    }

    /// <summary>Block ids of one blob must have the same length: ids are padded to 64 characters, then base64-encoded.</summary>
    private static string EncodeBlockId(string blockId)
    {
        ArgumentException.ThrowIfNullOrEmpty(blockId);
        if (blockId.Length > MaxBlockIdLength || !Ascii.IsValid(blockId))
        {
            throw new ArgumentException($"Block id '{blockId}' is not {MaxBlockIdLength} ASCII characters or fewer.", nameof(blockId));
        }

        return Convert.ToBase64String(Encoding.ASCII.GetBytes(blockId.PadRight(MaxBlockIdLength, '.')));
    }

    private static BlobRequestConditions Conditions(BlobWriteOptions options)
    {
        var conditions = new BlobRequestConditions();
        if (options.CreateOnly)
        {
            conditions.IfNoneMatch = AzureETag.All;
        }

        if (options.IfMatch is { } ifMatch)
        {
            conditions.IfMatch = ToSdk(ifMatch);
        }

        return conditions;
    }

    public async Task<bool> DeleteIfExistsAsync(string container, string name, ETag? ifMatch = null, CancellationToken cancellationToken = default)
    {
        try
        {
            var conditions = ifMatch is { } etag ? new BlobRequestConditions { IfMatch = ToSdk(etag) } : null;
            var response = await Container(container).GetBlobClient(name)
                .DeleteIfExistsAsync(DeleteSnapshotsOption.IncludeSnapshots, conditions, cancellationToken)
                .ConfigureAwait(false);
            return response.Value;
        }
        catch (RequestFailedException e) when (AzureErrors.IsNotFound(e))
        {
            return false;
        }
        catch (RequestFailedException e)
        {
            throw AzureErrors.Translate(e, $"Blob '{container}/{name}'");
        }
    }

    public async IAsyncEnumerable<BlobItem> ListAsync(string container, string? prefix = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var client = Container(container);
        var pages = client.GetBlobsAsync(BlobTraits.Metadata, BlobStates.None, prefix, cancellationToken).AsPages(pageSizeHint: 5000);
        await using var enumerator = pages.GetAsyncEnumerator(cancellationToken);
        while (true)
        {
            try
            {
                if (!await enumerator.MoveNextAsync().ConfigureAwait(false))
                {
                    yield break;
                }
            }
            catch (RequestFailedException e) when (AzureErrors.IsNotFound(e))
            {
                yield break; // the container does not exist yet: nothing to list
            }

            foreach (var item in enumerator.Current.Values)
            {
                var p = item.Properties;
                yield return new BlobItem(
                    container,
                    item.Name,
                    p.ETag is { } listed ? Normalize(listed) : new ETag(string.Empty),
                    p.ContentLength ?? 0,
                    p.LastModified ?? DateTimeOffset.MinValue,
                    p.ContentType,
                    ToReadOnly(item.Metadata));
            }
        }
    }

    /// <summary>ETags without quotes, whichever call returned them (uploads quote them, listings do not).</summary>
    internal static ETag Normalize(AzureETag etag) => new(etag.ToString().Trim('"'));

    private static AzureETag ToSdk(ETag etag) => new('"' + etag.Value.Trim('"') + '"');

    private static Dictionary<string, string>? ToReadOnly(IDictionary<string, string>? metadata) =>
        metadata is null || metadata.Count == 0 ? null : new Dictionary<string, string>(metadata, StringComparer.OrdinalIgnoreCase);
}
