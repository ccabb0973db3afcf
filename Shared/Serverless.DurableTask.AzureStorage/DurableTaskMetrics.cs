using System.Diagnostics.Metrics;

namespace Serverless.DurableTask.AzureStorage;

/// <summary>
/// The task hub's metrics (meter <c>Serverless.DurableTask</c>): activity and episode durations, orchestrations
/// started and completed; the queue-depth and instance gauges are published on the same meter by
/// <see cref="TaskHubGauges"/>. Spans come from DTFx itself (activity source <see cref="TraceSource"/>).
/// </summary>
public static class DurableTaskMetrics
{
    public const string MeterName = "Serverless.DurableTask";

    /// <summary>The activity source DTFx writes its <c>orchestration:{name}</c> and <c>activity:{name}</c> spans to.</summary>
    public const string TraceSource = "DurableTask.Core";

    /// <summary>Tag names of the metrics.</summary>
    public static class Tags
    {
        public const string Orchestration = "orchestration";
        public const string Activity = "activity";
        public const string Outcome = "outcome";
        public const string Status = "status";
        public const string Hub = "hub";
        public const string Queue = "queue";
    }

    public static Meter Meter { get; } = new(MeterName, typeof(DurableTaskMetrics).Assembly.GetName().Version?.ToString());

    /// <summary>Run time of one activity execution, by <c>activity</c> and <c>outcome</c> (<c>completed</c>, <c>failed</c>).</summary>
    public static Histogram<double> ActivityDuration { get; } = Meter.CreateHistogram<double>(
        "serverless.durable.activity.duration", unit: "ms", description: "Duration of activity executions by activity and outcome.");

    /// <summary>Time one orchestration episode took to run (replay and new work), by <c>orchestration</c> and <c>status</c> after it.</summary>
    public static Histogram<double> EpisodeDuration { get; } = Meter.CreateHistogram<double>(
        "serverless.durable.orchestration.episode.duration", unit: "ms", description: "Duration of orchestration episodes.");

    /// <summary>Executions started, by <c>orchestration</c>.</summary>
    public static Counter<long> OrchestrationsStarted { get; } = Meter.CreateCounter<long>(
        "serverless.durable.orchestrations.started", description: "Orchestration executions started, by orchestration.");

    /// <summary>Executions ended, by <c>orchestration</c> and final <c>status</c>.</summary>
    public static Counter<long> OrchestrationsCompleted { get; } = Meter.CreateCounter<long>(
        "serverless.durable.orchestrations.completed", description: "Orchestration executions ended, by orchestration and final status.");
}
