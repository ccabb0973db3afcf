using System.Diagnostics;

namespace Serverless.DurableTask.AzureStorage;

/// <summary>
/// Samples DTFx's spans for propagation (ids, no recording) while nothing else listens, so every orchestration
/// and activity runs inside an <see cref="Activity"/> with the run's W3C trace id. An exporter that listens too
/// (OpenTelemetry) decides recording as usual: the most a listener asks for wins.
/// </summary>
internal static class TracePropagation
{
    public static IDisposable Listen()
    {
        var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == DurableTaskMetrics.TraceSource,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.PropagationData,
            SampleUsingParentId = (ref ActivityCreationOptions<string> _) => ActivitySamplingResult.PropagationData,
        };
        ActivitySource.AddActivityListener(listener);
        return listener;
    }
}
