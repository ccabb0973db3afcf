using Microsoft.Extensions.Logging;

namespace Serverless.DurableTask.AzureStorage;

/// <summary>Log messages of the DTFx host (event ids 7000-7099).</summary>
internal static partial class DurableTaskLog
{
    [LoggerMessage(EventId = 7001, Level = LogLevel.Information, Message = "Durable task worker started on task hub {Hub} ({Partitions} partitions, worker {WorkerId})")]
    public static partial void WorkerStarted(ILogger logger, string hub, int partitions, string workerId);

    [LoggerMessage(EventId = 7002, Level = LogLevel.Information, Message = "Durable task worker stopped on task hub {Hub}")]
    public static partial void WorkerStopped(ILogger logger, string hub);

    [LoggerMessage(EventId = 7003, Level = LogLevel.Warning, Message = "Starting the durable task worker on task hub {Hub} failed (storage unavailable?); retrying in {DelaySeconds} s")]
    public static partial void WorkerStartFailed(ILogger logger, string hub, double delaySeconds, Exception exception);

    [LoggerMessage(EventId = 7010, Level = LogLevel.Warning, Message = "Reading the {Gauge} gauge of task hub {Hub} failed; the previous values stay")]
    public static partial void GaugeRefreshFailed(ILogger logger, string gauge, string hub, Exception exception);
}
