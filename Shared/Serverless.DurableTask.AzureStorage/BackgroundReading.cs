using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Serverless.DurableTask.AzureStorage;

/// <summary>
/// Gauge measurements read from storage off the collecting thread: asking for <see cref="Current"/> returns the last
/// reading at once and, when it is older than <paramref name="maxAge"/>, starts one background re-read (never two at a
/// time). Nobody collecting means no storage calls; a failed read keeps the previous values.
/// </summary>
internal sealed class BackgroundReading(
    Func<CancellationToken, Task<IReadOnlyList<Measurement<long>>>> read,
    TimeSpan maxAge,
    Action<Exception> failed) : IDisposable
{
    private readonly CancellationTokenSource _disposed = new();
    private IReadOnlyList<Measurement<long>> _latest = [];
    private long _startedAt;
    private int _reading;
    private int _disposeCalls;
    private Task _refresh = Task.CompletedTask;

    public IReadOnlyList<Measurement<long>> Current
    {
        get
        {
            var last = Volatile.Read(ref _startedAt);
            if ((last == 0 || Stopwatch.GetElapsedTime(last) >= maxAge) && !_disposed.IsCancellationRequested
                && Interlocked.CompareExchange(ref _reading, 1, 0) == 0)
            {
                Volatile.Write(ref _startedAt, Stopwatch.GetTimestamp());
                var stopping = _disposed.Token;
                _refresh = Task.Run(() => RefreshAsync(stopping));
            }

            return Volatile.Read(ref _latest);
        }
    }

    /// <summary>The read in progress (or the last one), for a caller that wants fresh values before collecting again.</summary>
    public Task Refreshing => _refresh;

    private async Task RefreshAsync(CancellationToken stopping)
    {
        try
        {
            Volatile.Write(ref _latest, await read(stopping).ConfigureAwait(false));
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            failed(e);
        }
        finally
        {
            Volatile.Write(ref _reading, 0);
        }
    }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposeCalls, 1) == 1)
        {
            return;
        }

        _disposed.Cancel();
        _disposed.Dispose();
    }
}
