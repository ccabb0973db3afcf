namespace Serverless.Hosting.Configuration;

/// <summary>host.json <c>extensions.blobs</c>: blob trigger behaviour.</summary>
public sealed class BlobsOptions
{
    public const string Section = FunctionsHostOptions.HostJsonSection + ":extensions:blobs";

    /// <summary>Concurrent invocations per blob-triggered function.</summary>
    public int MaxDegreeOfParallelism { get; set; } = 4;

    /// <summary>Failed invocations of one blob version before it is sent to the poison queue.</summary>
    public int PoisonBlobThreshold { get; set; } = 5;

    /// <summary>How often watched containers are listed.</summary>
    public TimeSpan PollingInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Lease held on a blob version while it is processed; renewed, and lost when a host dies (15-60 s).</summary>
    public TimeSpan LeaseDuration { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Pause between retries of a failing invocation.</summary>
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromMilliseconds(200);

    /// <summary>
    /// Storage queue of Event Grid <c>Microsoft.Storage.BlobCreated</c> events for <c>Source = EventGrid</c> triggers;
    /// unset (the default, as Azurite has no Event Grid), the container scan serves those triggers too.
    /// </summary>
    public string? EventQueueName { get; set; }
}
