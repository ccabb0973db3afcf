using System.Text.Json;
using Microsoft.Extensions.Options;
using Serverless.Hosting.Background;
using Serverless.Hosting.Configuration;
using Serverless.Storage;

namespace Serverless.Hosting.Blobs;

/// <summary>
/// Blob receipts in <c>azure-webjobs-hosts/blobreceipts/{hostId}/{function}/{etag}/{container}/{blob}</c>, and the
/// lock blob leased while a version is processed (<c>locks/{hostId}/blobtrigger/...</c>, same suffix).
/// </summary>
public sealed class BlobReceiptStore(IBlobStore blobs, IOptions<FunctionsHostOptions> host)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { Converters = { new System.Text.Json.Serialization.JsonStringEnumConverter() } };

    public string ReceiptName(string function, BlobItem blob) => $"blobreceipts/{host.Value.HostId}/{Suffix(function, blob)}";

    public string LockName(string function, BlobItem blob) => $"locks/{host.Value.HostId}/blobtrigger/{Suffix(function, blob)}";

    public async Task<BlobReceipt?> ReadAsync(string function, BlobItem blob, CancellationToken cancellationToken)
    {
        var text = await blobs.TryDownloadTextAsync(HostStorageNames.HostsContainer, ReceiptName(function, blob), cancellationToken).ConfigureAwait(false);
        return text is null ? null : JsonSerializer.Deserialize<BlobReceipt>(text, Json);
    }

    public async Task WriteAsync(string function, BlobItem blob, BlobReceipt receipt, CancellationToken cancellationToken)
    {
        var text = JsonSerializer.Serialize(receipt, Json);
        try
        {
            await blobs.UploadTextAsync(HostStorageNames.HostsContainer, ReceiptName(function, blob), text, BlobWriteOptions.Overwrite, cancellationToken).ConfigureAwait(false);
        }
        catch (StorageNotFoundException)
        {
            await blobs.CreateContainerIfNotExistsAsync(HostStorageNames.HostsContainer, cancellationToken).ConfigureAwait(false);
            await blobs.UploadTextAsync(HostStorageNames.HostsContainer, ReceiptName(function, blob), text, BlobWriteOptions.Overwrite, cancellationToken).ConfigureAwait(false);
        }
    }

    private static string Suffix(string function, BlobItem blob) =>
        $"{function}/{blob.ETag.Value.Trim('"')}/{blob.Container}/{blob.Name}";
}
