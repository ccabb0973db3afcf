namespace Serverless.DurableTask.AzureStorage;

/// <summary>
/// The task hub's settings, shaped and named as host.json's <c>extensions.durableTask</c> section that Durable
/// Functions reads (bind that section to this type). Defaults are tuned for a local host: a killed host's
/// partitions, orchestration messages and activity work items move to a live host within about 30 seconds.
/// </summary>
public sealed class DurableTaskHubOptions
{
    /// <summary>The task hub: prefix of its queues, tables and blob containers.</summary>
    public string HubName { get; set; } = "mlops";

    public DurableTaskStorageProviderOptions StorageProvider { get; set; } = new();

    /// <summary>Activity work items one host runs at once.</summary>
    public int MaxConcurrentActivityFunctions { get; set; } = 8;

    /// <summary>Orchestration episodes one host runs at once.</summary>
    public int MaxConcurrentOrchestratorFunctions { get; set; } = 8;

    /// <summary>Keeps an orchestration's state in memory between episodes (no replay from history while it stays).</summary>
    public bool ExtendedSessionsEnabled { get; set; }

    /// <summary>How long an idle extended session stays in memory.</summary>
    public TimeSpan ExtendedSessionIdleTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>This host's identity in partition leases (unique per host process).</summary>
    public string WorkerId { get; set; } = $"{Environment.MachineName}-{Guid.NewGuid():N}";

    /// <summary>How often the task hub gauges (queue depths, instances by status) may be re-read.</summary>
    public TimeSpan QueueDepthRefreshInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How often the instances-by-status gauge may be re-counted.</summary>
    public TimeSpan InstanceCountRefreshInterval { get; set; } = TimeSpan.FromSeconds(60);
}

/// <summary>host.json <c>extensions.durableTask.storageProvider</c> for the Azure Storage provider.</summary>
public sealed class DurableTaskStorageProviderOptions
{
    /// <summary>Control queues (1-16), fixed for the life of a task hub.</summary>
    public int PartitionCount { get; set; } = 4;

    /// <summary>The longest wait between polls of an idle queue.</summary>
    public TimeSpan MaxQueuePollingInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>How long a fetched control-queue message stays hidden; a dead host's messages reappear after it.</summary>
    public TimeSpan ControlQueueVisibilityTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long a fetched activity work item stays hidden; renewed 30 s before it runs out while the activity runs.</summary>
    public TimeSpan WorkItemQueueVisibilityTimeout { get; set; } = TimeSpan.FromSeconds(40);

    /// <summary>How long a partition lease lasts without renewal; a dead host's partitions move after it.</summary>
    public TimeSpan LeaseInterval { get; set; } = TimeSpan.FromSeconds(20);

    /// <summary>How often leases are renewed.</summary>
    public TimeSpan LeaseRenewInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How often a host looks for partitions to take.</summary>
    public TimeSpan LeaseAcquireInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Table-based partition management (the provider's default since 2.0); blob leases when <c>false</c>.</summary>
    public bool UseTablePartitionManagement { get; set; } = true;
}
