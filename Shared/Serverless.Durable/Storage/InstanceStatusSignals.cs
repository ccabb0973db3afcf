using System.Collections.Concurrent;

namespace Serverless.Durable.Storage;

/// <summary>
/// In-process signals of instance-row changes: a client waiting for an instance that this host's worker runs
/// wakes at the checkpoint that reaches the awaited status instead of at its next poll (waits for instances run
/// by other hosts still poll).
/// </summary>
internal sealed class InstanceStatusSignals
{
    private readonly ConcurrentDictionary<string, TaskCompletionSource<OrchestrationRuntimeStatus>> _signals = new(StringComparer.Ordinal);

    /// <summary>A task that completes, with the new status, at the next change of the instance's row written by this host.</summary>
    public Task<OrchestrationRuntimeStatus> Next(string instanceId) =>
        _signals.GetOrAdd(instanceId, _ => new TaskCompletionSource<OrchestrationRuntimeStatus>(TaskCreationOptions.RunContinuationsAsynchronously)).Task;

    /// <summary>Completes when this host writes a status satisfying <paramref name="awaited"/> (it never fails; callers also poll).</summary>
    public async Task WaitForAsync(string instanceId, Func<OrchestrationRuntimeStatus, bool> awaited, CancellationToken cancellationToken)
    {
        var next = Next(instanceId);
        try
        {
            while (!awaited(await next.WaitAsync(cancellationToken).ConfigureAwait(false)))
            {
                next = Next(instanceId);
            }
        }
        catch (OperationCanceledException)
        {
            // Forget the signal (so instances nobody waits for hold no memory); a waiter sharing it falls back to polling.
            if (_signals.TryGetValue(instanceId, out var signal) && signal.Task == next)
            {
                _signals.TryRemove(new KeyValuePair<string, TaskCompletionSource<OrchestrationRuntimeStatus>>(instanceId, signal));
            }

            throw;
        }
    }

    public void Notify(string instanceId, OrchestrationRuntimeStatus status)
    {
        if (_signals.TryRemove(instanceId, out var signal))
        {
            signal.TrySetResult(status);
        }
    }
}
