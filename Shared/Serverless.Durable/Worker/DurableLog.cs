using Microsoft.Extensions.Logging;

namespace Serverless.Durable.Worker;

/// <summary>The engine's log messages.</summary>
internal static partial class DurableLog
{
    [LoggerMessage(1, LogLevel.Information, "Worker {WorkerId} acquired partition {Partition} of hub {Hub}")]
    public static partial void PartitionAcquired(ILogger logger, string workerId, int partition, string hub);

    [LoggerMessage(2, LogLevel.Information, "Worker {WorkerId} released partition {Partition} of hub {Hub} ({Reason})")]
    public static partial void PartitionReleased(ILogger logger, string workerId, int partition, string hub, string reason);

    [LoggerMessage(3, LogLevel.Warning, "Processing messages of instance {InstanceId} failed; they will be retried")]
    public static partial void EpisodeFailed(ILogger logger, string instanceId, Exception exception);

    [LoggerMessage(4, LogLevel.Warning, "Instance {InstanceId} was changed by another host; its cached state was dropped")]
    public static partial void CheckpointConflict(ILogger logger, string instanceId);

    [LoggerMessage(5, LogLevel.Error, "Message {MessageId} of queue {Queue} was dead-lettered: {Reason}")]
    public static partial void DeadLettered(ILogger logger, string messageId, string queue, string reason);

    [LoggerMessage(6, LogLevel.Warning, "Activity work item {MessageId} could not be completed; it will run again")]
    public static partial void ActivityFailed(ILogger logger, string messageId, Exception exception);

    [LoggerMessage(7, LogLevel.Warning, "Polling queue {Queue} failed")]
    public static partial void PollFailed(ILogger logger, string queue, Exception exception);

    [LoggerMessage(8, LogLevel.Warning, "Partition lease maintenance for hub {Hub} failed")]
    public static partial void LeaseMaintenanceFailed(ILogger logger, string hub, Exception exception);

    [LoggerMessage(9, LogLevel.Debug, "Instance {InstanceId}: episode of {EventCount} events, status {Status}")]
    public static partial void EpisodeCompleted(ILogger logger, string instanceId, int eventCount, OrchestrationRuntimeStatus status);

    [LoggerMessage(10, LogLevel.Warning, "Deleting processed messages of instance {InstanceId} failed; they will come back as duplicates and be dropped")]
    public static partial void DeleteProcessedFailed(ILogger logger, string instanceId, Exception exception);

    [LoggerMessage(11, LogLevel.Warning, "Reading the {Gauge} gauge of hub {Hub} failed; it keeps its last values")]
    public static partial void GaugeRefreshFailed(ILogger logger, string gauge, string hub, Exception exception);
}
