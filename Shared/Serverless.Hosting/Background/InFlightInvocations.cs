using System.Collections.Concurrent;

namespace Serverless.Hosting.Background;

/// <summary>
/// A listener's running invocations: on stop they get <c>drainTimeout</c> to finish, then
/// <see cref="Cancellation"/> fires so they release what they hold.
/// </summary>
public sealed class InFlightInvocations : IDisposable
{
    private readonly ConcurrentDictionary<string, Task> _running = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _cancellation = new();

    /// <summary>Cancels invocations once draining has timed out.</summary>
    public CancellationToken Cancellation => _cancellation.Token;

    public bool IsRunning(string key) => _running.ContainsKey(key);

    public int Count => _running.Count;

    /// <summary>Starts <paramref name="work"/> under <paramref name="key"/> unless one with that key runs.</summary>
    public bool TryStart(string key, Func<Task> work)
    {
        ArgumentNullException.ThrowIfNull(work);
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var task = RunAsync(key, gate.Task, work);
        if (!_running.TryAdd(key, task))
        {
            gate.SetCanceled();
            return false;
        }

        gate.SetResult();
        return true;
    }

    /// <returns><c>true</c> when every invocation finished within <paramref name="timeout"/>.</returns>
    public async Task<bool> DrainAsync(TimeSpan timeout)
    {
        var all = Task.WhenAll(_running.Values.ToArray());
        try
        {
            await all.WaitAsync(timeout).ConfigureAwait(false);
            return true;
        }
        catch (TimeoutException)
        {
            await _cancellation.CancelAsync().ConfigureAwait(false);
            await Task.WhenAny(all, Task.Delay(TimeSpan.FromSeconds(10))).ConfigureAwait(false);
            return false;
        }
    }

    public void Dispose() => _cancellation.Dispose();

    private async Task RunAsync(string key, Task gate, Func<Task> work)
    {
        try
        {
            await gate.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            return;
        }

        try
        {
            await work().ConfigureAwait(false);
        }
        finally
        {
            _running.TryRemove(key, out _);
        }
    }
}
