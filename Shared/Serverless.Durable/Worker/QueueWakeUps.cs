using System.Collections.Concurrent;

namespace Serverless.Durable.Worker;

/// <summary>
/// In-process wake-ups: when this host sends to a queue it also polls, the poller wakes at once instead of
/// finishing its idle back-off (messages from other hosts are still found by polling).
/// </summary>
internal sealed class QueueWakeUps
{
    private readonly ConcurrentDictionary<string, TaskCompletionSource> _signals = new(StringComparer.Ordinal);

    public void Notify(string queue)
    {
        if (_signals.TryRemove(queue, out var signal))
        {
            signal.TrySetResult();
        }
    }

    /// <summary>Waits for <paramref name="delay"/> or until a message is sent to <paramref name="queue"/> by this host.</summary>
    public async Task WaitAsync(string queue, TimeSpan delay, CancellationToken cancellationToken)
    {
        var signal = _signals.GetOrAdd(queue, _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
        await Task.WhenAny(signal.Task, Task.Delay(delay, cancellationToken)).ConfigureAwait(false);
        cancellationToken.ThrowIfCancellationRequested();
    }
}
