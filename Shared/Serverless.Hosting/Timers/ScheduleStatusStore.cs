using System.Text.Json;
using Microsoft.Extensions.Options;
using Serverless.Hosting.Background;
using Serverless.Hosting.Configuration;
using Serverless.Storage;

namespace Serverless.Hosting.Timers;

/// <summary>Schedule status blobs, <c>azure-webjobs-hosts/timers/{hostId}/{schedule}/status</c>, updated under ETag guards.</summary>
public sealed class ScheduleStatusStore(IBlobStore blobs, IOptions<FunctionsHostOptions> host)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public string StatusName(string schedule) => $"timers/{host.Value.HostId}/{schedule}/status";

    public string LockName(string schedule) => $"locks/{host.Value.HostId}/timers/{schedule}";

    /// <returns>The status and its ETag, or <c>null</c> when the schedule has none yet.</returns>
    public async Task<(TimerScheduleState Status, ETag ETag)?> ReadAsync(string schedule, CancellationToken cancellationToken)
    {
        var name = StatusName(schedule);
        var properties = await blobs.GetPropertiesAsync(HostStorageNames.HostsContainer, name, cancellationToken).ConfigureAwait(false);
        if (properties is null)
        {
            return null;
        }

        var text = await blobs.TryDownloadTextAsync(HostStorageNames.HostsContainer, name, cancellationToken).ConfigureAwait(false);
        var status = text is null ? null : JsonSerializer.Deserialize<TimerScheduleState>(text, Json);
        var again = await blobs.GetPropertiesAsync(HostStorageNames.HostsContainer, name, cancellationToken).ConfigureAwait(false);
        // Re-read if it changed while downloading, so the ETag always belongs to the content.
        return status is null || again?.ETag != properties.ETag ? await ReadAsync(schedule, cancellationToken).ConfigureAwait(false) : (status, properties.ETag);
    }

    /// <summary>Writes the status if it is still at <paramref name="ifMatch"/> (or, with <c>null</c>, does not exist yet).</summary>
    /// <returns><c>false</c> when another host changed it first.</returns>
    public async Task<bool> TryWriteAsync(string schedule, TimerScheduleState status, ETag? ifMatch, CancellationToken cancellationToken)
    {
        var options = ifMatch is { } etag ? new BlobWriteOptions { IfMatch = etag, ContentType = "application/json" } : new BlobWriteOptions { CreateOnly = true, ContentType = "application/json" };
        try
        {
            await blobs.UploadTextAsync(HostStorageNames.HostsContainer, StatusName(schedule), JsonSerializer.Serialize(status, Json), options, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (StorageConflictException)
        {
            return false;
        }
        catch (StorageNotFoundException) when (ifMatch is null)
        {
            await blobs.CreateContainerIfNotExistsAsync(HostStorageNames.HostsContainer, cancellationToken).ConfigureAwait(false);
            return await TryWriteAsync(schedule, status, ifMatch, cancellationToken).ConfigureAwait(false);
        }
    }
}
