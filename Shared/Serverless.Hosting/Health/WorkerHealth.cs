using System.Collections.Concurrent;

namespace Serverless.Hosting.Health;

/// <summary>The state of one background worker, as the health endpoint reports it (to callers with a key).</summary>
/// <param name="LastError">The kind of the last failure (its exception type; the full error is in the host's log, never in a response).</param>
public sealed record WorkerState(string Name, bool Running, bool Healthy, DateTimeOffset Updated, string? LastError);

/// <summary>Background workers (blob listeners, timers) report here; the health check reads it.</summary>
public sealed class WorkerHealth(TimeProvider time)
{
    private readonly ConcurrentDictionary<string, WorkerState> _workers = new(StringComparer.Ordinal);

    public void Healthy(string worker) => _workers[worker] = new WorkerState(worker, true, true, time.GetUtcNow(), null);

    public void Faulted(string worker, Exception error)
    {
        ArgumentNullException.ThrowIfNull(error);
        _workers[worker] = new WorkerState(worker, true, false, time.GetUtcNow(), error.GetType().Name);
    }

    public void Stopped(string worker) => _workers[worker] = new WorkerState(worker, false, true, time.GetUtcNow(), null);

    public void Remove(string worker) => _workers.TryRemove(worker, out _);

    public IReadOnlyList<WorkerState> Snapshot() => _workers.Values.OrderBy(w => w.Name, StringComparer.Ordinal).ToList();
}
