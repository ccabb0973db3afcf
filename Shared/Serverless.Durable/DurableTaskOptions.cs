namespace Serverless.Durable;

/// <summary>
/// Settings of the engine; the names follow host.json's <c>extensions.durableTask</c>
/// (<c>hubName</c>, <c>storageProvider.partitionCount</c>, <c>maxQueuePollingInterval</c>,
/// <c>maxConcurrentActivityFunctions</c>, <c>maxConcurrentOrchestratorFunctions</c>).
/// </summary>
public sealed class DurableTaskOptions
{
    public string HubName { get; set; } = "mlops";

    public StorageProviderOptions StorageProvider { get; set; } = new();

    /// <summary>The longest wait between polls of an idle queue (polling backs off to it; work found polls again at once).</summary>
    public TimeSpan MaxQueuePollingInterval { get; set; } = TimeSpan.FromSeconds(1);

    public int MaxConcurrentActivityFunctions { get; set; } = 8;

    public int MaxConcurrentOrchestratorFunctions { get; set; } = 8;

    /// <summary>This host's identity for partition leases (unique per host; a restarted host may reuse its id to take its partitions back at once).</summary>
    public string WorkerId { get; set; } = $"{Environment.MachineName}-{Guid.NewGuid():N}";

    /// <summary>Set <c>false</c> for a client-only process (no worker loops).</summary>
    public bool StartWorker { get; set; } = true;

    /// <summary>
    /// How old the queue-depth gauges may get: a collection older than this starts a background re-read of the
    /// queues' approximate counts (never more often, never on the collecting thread).
    /// </summary>
    public TimeSpan QueueDepthRefreshInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How old the instances-by-status gauge may get before a background count of the Instances table.</summary>
    public TimeSpan InstanceCountRefreshInterval { get; set; } = TimeSpan.FromSeconds(60);
}

/// <summary>The storage provider's settings (host.json <c>extensions.durableTask.storageProvider</c>).</summary>
public sealed class StorageProviderOptions
{
    /// <summary>Number of control queues (1-16), fixed for the life of a hub.</summary>
    public int PartitionCount { get; set; } = 4;

    /// <summary>How long a partition lease lasts without renewal (15-60 s for blob leases); a dead host's partitions move after it.</summary>
    public TimeSpan LeaseDuration { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How often leases are renewed and balanced.</summary>
    public TimeSpan LeaseRenewInterval { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How long a received control message stays hidden; a dead host's messages reappear after it.</summary>
    public TimeSpan ControlQueueVisibilityTimeout { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>How long a work item stays hidden without renewal; renewed every third of it while the activity runs.</summary>
    public TimeSpan WorkItemQueueVisibilityTimeout { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Dequeues after which a message is dead-lettered and its instance failed.</summary>
    public int MaxDequeueCount { get; set; } = 5;

    /// <summary>Longest delay one timer message may have (queues accept up to 7 days); longer timers are chained.</summary>
    public TimeSpan MaxTimerMessageDelay { get; set; } = TimeSpan.FromDays(6);

    /// <summary>
    /// Most activities of one orchestration episode sent in one work-item message (1 = one message per activity).
    /// Batching saves queue round trips in fan-outs; a host fetches work items for about as many activities as it
    /// has free activity slots, so a batch of this size still spreads across hosts.
    /// </summary>
    public int WorkItemBatchSize { get; set; } = 8;

    /// <summary>
    /// Most activity results of one instance carried by one control-queue message. Results that complete while a
    /// send for their instance is in flight are coalesced (no timer: a lone result is sent at once).
    /// </summary>
    public int ActivityResultBatchSize { get; set; } = 100;

    /// <summary>Control messages fetched per poll (at most 32).</summary>
    public int ControlQueueBatchSize { get; set; } = 32;
}
