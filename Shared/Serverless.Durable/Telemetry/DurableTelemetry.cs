using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Serverless.Durable;

/// <summary>
/// The engine's traces and metrics (source and meter <c>Serverless.Durable</c>): spans <c>orchestration:{name}</c>
/// and <c>activity:{name}</c>; activity and episode durations; orchestrations started and completed. The task hub's
/// queue depths and instance counts are observable gauges on the same meter name, published by each worker.
/// </summary>
public static class DurableTelemetry
{
    public const string Name = "Serverless.Durable";

    /// <summary>Tag names used on spans and metrics.</summary>
    public static class Tags
    {
        public const string Type = "durabletask.type";
        public const string TaskName = "durabletask.task.name";
        public const string InstanceId = "durabletask.task.instance_id";
        public const string ExecutionId = "durabletask.task.execution_id";
        public const string TaskId = "durabletask.task.task_id";
        public const string RuntimeStatus = "durabletask.runtime_status";
        public const string Orchestration = "orchestration";
        public const string Activity = "activity";
        public const string Outcome = "outcome";
        public const string Status = "status";
        public const string Hub = "hub";
        public const string Queue = "queue";
    }

    public static ActivitySource ActivitySource { get; } = new(Name, typeof(DurableTelemetry).Assembly.GetName().Version?.ToString());

    public static Meter Meter { get; } = new(Name, typeof(DurableTelemetry).Assembly.GetName().Version?.ToString());

    /// <summary>Run time of one activity execution, by <c>activity</c> and <c>outcome</c> (<c>completed</c>, <c>failed</c>).</summary>
    public static Histogram<double> ActivityDuration { get; } = Meter.CreateHistogram<double>(
        "serverless.durable.activity.duration", unit: "ms", description: "Duration of activity executions by activity and outcome.");

    /// <summary>Time one orchestration episode took (load, replay, checkpoint), by <c>orchestration</c> and <c>status</c> after it.</summary>
    public static Histogram<double> EpisodeDuration { get; } = Meter.CreateHistogram<double>(
        "serverless.durable.orchestration.episode.duration", unit: "ms", description: "Duration of orchestration episodes (replay and checkpoint).");

    /// <summary>Executions started, by <c>orchestration</c>.</summary>
    public static Counter<long> OrchestrationsStarted { get; } = Meter.CreateCounter<long>(
        "serverless.durable.orchestrations.started", description: "Orchestration executions started, by orchestration.");

    /// <summary>Executions ended, by <c>orchestration</c> and final <c>status</c>.</summary>
    public static Counter<long> OrchestrationsCompleted { get; } = Meter.CreateCounter<long>(
        "serverless.durable.orchestrations.completed", description: "Orchestration executions ended, by orchestration and final status.");
}
