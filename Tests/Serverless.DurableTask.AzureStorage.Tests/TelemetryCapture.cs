using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Serverless.DurableTask.AzureStorage.Tests;

/// <summary>Records the spans and measurements of the named sources and meters in memory (process-wide: filter by trace or tag).</summary>
public sealed class TelemetryCapture : IDisposable
{
    private readonly ActivityListener _spans;
    private readonly MeterListener _meters = new();

    public TelemetryCapture(params string[] names)
    {
        _spans = new ActivityListener
        {
            ShouldListenTo = source => names.Contains(source.Name),
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = Spans.Add,
        };
        ActivitySource.AddActivityListener(_spans);
        _meters.InstrumentPublished = (instrument, listener) =>
        {
            if (names.Contains(instrument.Meter.Name))
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _meters.SetMeasurementEventCallback<long>((instrument, value, tags, _) => Measurements.Add(new(instrument.Name, value, Tags(tags))));
        _meters.SetMeasurementEventCallback<double>((instrument, value, tags, _) => Measurements.Add(new(instrument.Name, value, Tags(tags))));
        _meters.Start();
    }

    public ConcurrentBag<Activity> Spans { get; } = [];

    public ConcurrentBag<Recorded> Measurements { get; } = [];

    /// <summary>Collects the observable gauges now.</summary>
    public void CollectGauges() => _meters.RecordObservableInstruments();

    public IReadOnlyList<Activity> InTrace(ActivityTraceId traceId) => Spans.Where(s => s.TraceId == traceId).ToList();

    /// <summary>Waits until <paramref name="done"/> holds over the spans seen so far.</summary>
    public async Task<IReadOnlyList<Activity>> WaitForSpansAsync(Func<IReadOnlyList<Activity>, bool> done, TimeSpan timeout)
    {
        using var cancel = new CancellationTokenSource(timeout);
        while (true)
        {
            var spans = Spans.ToList();
            if (done(spans))
            {
                return spans;
            }

            await Task.Delay(50, cancel.Token);
        }
    }

    public void Dispose()
    {
        _spans.Dispose();
        _meters.Dispose();
    }

    private static Dictionary<string, string?> Tags(ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var result = new Dictionary<string, string?>();
        foreach (var tag in tags)
        {
            result[tag.Key] = tag.Value?.ToString();
        }

        return result;
    }

    public sealed record Recorded(string Instrument, double Value, IReadOnlyDictionary<string, string?> Tags)
    {
        public string? Tag(string name) => Tags.GetValueOrDefault(name);
    }
}
