using System.Diagnostics;
using Serverless.Hosting.Background;
using Serverless.Storage;

namespace Serverless.Hosting.Health;

/// <summary>The host's health: storage answers and background workers run without faults.</summary>
public sealed record HostHealthReport(string Status, StorageHealth Storage, IReadOnlyList<WorkerState> Workers)
{
    [System.Text.Json.Serialization.JsonIgnore]
    public bool IsHealthy => Status == HostHealth.Healthy;

    /// <summary>What <paramref name="caller"/> may see: the whole report with a key that may read, else only the status.</summary>
    public object ViewFor(CallerIdentity caller)
    {
        ArgumentNullException.ThrowIfNull(caller);
        return caller.Has(KeyPermissions.Read) ? this : new HostHealthSummary(Status);
    }
}

/// <summary>The health an anonymous caller sees: healthy or unhealthy, nothing about storage or workers.</summary>
public sealed record HostHealthSummary(string Status);

/// <summary>Whether storage answered a probe, and how fast; <see cref="Error"/> is the kind of failure only (details are logged).</summary>
public sealed record StorageHealth(bool Reachable, double LatencyMs, string? Error);

/// <summary>Probes storage and reads <see cref="WorkerHealth"/>.</summary>
public sealed class HostHealth(IBlobStore blobs, WorkerHealth workers)
{
    public const string Healthy = "Healthy";
    public const string Unhealthy = "Unhealthy";

    public async Task<HostHealthReport> CheckAsync(CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        StorageHealth storage;
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(3));
        try
        {
            await blobs.GetPropertiesAsync(HostStorageNames.HostsContainer, "health-probe", timeout.Token).ConfigureAwait(false);
            storage = new StorageHealth(true, Math.Round(Stopwatch.GetElapsedTime(started).TotalMilliseconds, 1), null);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            var reason = e is OperationCanceledException ? "no answer within 3 s" : e.GetType().Name;
            storage = new StorageHealth(false, Math.Round(Stopwatch.GetElapsedTime(started).TotalMilliseconds, 1), reason);
        }

        var states = workers.Snapshot();
        var healthy = storage.Reachable && states.All(w => w.Healthy && w.Running);
        return new HostHealthReport(healthy ? Healthy : Unhealthy, storage, states);
    }
}
