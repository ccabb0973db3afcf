namespace Serverless.Durable.TestWorker;

/// <summary>Short leases and visibility timeouts, so a killed worker's work moves within seconds in tests.</summary>
public static class TestWorkerSettings
{
    public static void Apply(DurableTaskOptions options, string hub, string workerId)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.HubName = hub;
        options.WorkerId = workerId;
        options.MaxQueuePollingInterval = TimeSpan.FromMilliseconds(200);
        options.StorageProvider.LeaseDuration = TimeSpan.FromSeconds(15);
        options.StorageProvider.LeaseRenewInterval = TimeSpan.FromSeconds(1);
        options.StorageProvider.ControlQueueVisibilityTimeout = TimeSpan.FromSeconds(5);
        options.StorageProvider.WorkItemQueueVisibilityTimeout = TimeSpan.FromSeconds(6);
    }
}
