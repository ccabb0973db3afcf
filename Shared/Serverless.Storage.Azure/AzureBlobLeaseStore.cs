using System.Security.Cryptography;
using System.Text;
using Azure;
using Azure.Storage.Blobs.Specialized;

namespace Serverless.Storage.Azure;

/// <summary><see cref="ILeaseStore"/> on blob leases: each lease is an empty blob; owners become lease ids.</summary>
public sealed class AzureBlobLeaseStore(AzureBlobStore blobs) : ILeaseStore
{
    public async Task<bool> TryAcquireAsync(string container, string name, string ownerId, TimeSpan duration, CancellationToken cancellationToken = default)
    {
        var client = blobs.Container(container).GetBlobClient(name);
        var lease = client.GetBlobLeaseClient(LeaseId(ownerId));
        for (var attempt = 0; attempt < 2; attempt++)
        {
            try
            {
                await lease.AcquireAsync(duration, cancellationToken: cancellationToken).ConfigureAwait(false);
                return true;
            }
            catch (RequestFailedException e) when (e.Status == 409)
            {
                return false; // held by another owner
            }
            catch (RequestFailedException e) when (AzureErrors.IsNotFound(e) && attempt == 0)
            {
                await blobs.CreateContainerIfNotExistsAsync(container, cancellationToken).ConfigureAwait(false);
                try
                {
                    await blobs.UploadBytesAsync(container, name, ReadOnlyMemory<byte>.Empty, BlobWriteOptions.Immutable, cancellationToken).ConfigureAwait(false);
                }
                catch (StorageConflictException)
                {
                    // Another host created it first.
                }
            }
        }

        return false;
    }

    public async Task<bool> RenewAsync(string container, string name, string ownerId, CancellationToken cancellationToken = default)
    {
        try
        {
            await blobs.Container(container).GetBlobClient(name).GetBlobLeaseClient(LeaseId(ownerId)).RenewAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (RequestFailedException e) when (e.Status is 409 or 404 or 412)
        {
            return false;
        }
    }

    public async Task ReleaseAsync(string container, string name, string ownerId, CancellationToken cancellationToken = default)
    {
        try
        {
            await blobs.Container(container).GetBlobClient(name).GetBlobLeaseClient(LeaseId(ownerId)).ReleaseAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (RequestFailedException e) when (e.Status is 409 or 404 or 412)
        {
            // Already expired or taken over: nothing to release.
        }
    }

    /// <summary>Blob lease ids must be GUIDs; any owner id maps to a stable one.</summary>
    private static string LeaseId(string ownerId) =>
        Guid.TryParse(ownerId, out var guid) ? guid.ToString() : new Guid(MD5.HashData(Encoding.UTF8.GetBytes(ownerId))).ToString();
}
