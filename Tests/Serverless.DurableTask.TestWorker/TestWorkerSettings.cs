using Serverless.DurableTask.AzureStorage;

namespace Serverless.DurableTask.TestWorker;

/// <summary>Short leases and visibility timeouts, so a killed worker's work moves within seconds in tests.</summary>
public static class TestWorkerSettings
{
    public static void Apply(DurableTaskHubOptions options, string hub, string workerId)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.HubName = hub;
        options.WorkerId = workerId;
        options.StorageProvider.PartitionCount = 2;
        options.StorageProvider.MaxQueuePollingInterval = TimeSpan.FromMilliseconds(200);
        options.StorageProvider.LeaseInterval = TimeSpan.FromSeconds(10);
        options.StorageProvider.LeaseRenewInterval = TimeSpan.FromSeconds(2);
        options.StorageProvider.LeaseAcquireInterval = TimeSpan.FromSeconds(2);
        options.StorageProvider.ControlQueueVisibilityTimeout = TimeSpan.FromSeconds(10);
        options.StorageProvider.WorkItemQueueVisibilityTimeout = TimeSpan.FromSeconds(35);
    }
}
