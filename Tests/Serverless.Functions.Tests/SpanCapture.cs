using System.Collections.Concurrent;
using System.Diagnostics;

namespace Serverless.Functions.Tests;

/// <summary>Records the finished spans of the product's sources (<c>Serverless.*</c>) and of the durable engine (DTFx's <c>DurableTask.Core</c>) in memory, process-wide: filter by trace or tag.</summary>
public sealed class SpanCapture : IDisposable
{
    private readonly ConcurrentBag<Activity> _spans = [];
    private readonly ActivityListener _listener;

    public SpanCapture()
    {
        _listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name.StartsWith("Serverless.", StringComparison.Ordinal) || source.Name == "DurableTask.Core",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = _spans.Add,
        };
        ActivitySource.AddActivityListener(_listener);
    }

    /// <summary>Waits for the first span matching <paramref name="match"/>.</summary>
    public async Task<Activity> WaitForAsync(Func<Activity, bool> match, string what, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            if (_spans.FirstOrDefault(match) is { } span)
            {
                return span;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"No span for {what} within {timeout}.");
            }

            await Task.Delay(100);
        }
    }

    public IReadOnlyList<Activity> InTrace(ActivityTraceId traceId) => Where(s => s.TraceId == traceId);

    public IReadOnlyList<Activity> Where(Func<Activity, bool> match) => _spans.Where(match).ToList();

    public void Dispose() => _listener.Dispose();
}
