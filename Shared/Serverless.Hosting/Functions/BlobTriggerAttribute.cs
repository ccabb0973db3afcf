namespace Serverless.Hosting;

/// <summary>
/// Triggers the function once per new or changed blob (per ETag) matching <see cref="BlobPath"/>,
/// <c>container/literal/{name}/{*rest}</c>; <c>%Setting%</c> parts are read from configuration.
/// The parameter is a <see cref="BlobTriggerContext"/>.
/// </summary>
public sealed class BlobTriggerAttribute(string blobPath) : TriggerAttribute
{
    public string BlobPath { get; } = blobPath;

    /// <summary>How new blobs are found: by listing the container, or from blob-created events on a queue.</summary>
    public BlobTriggerSource Source { get; set; } = BlobTriggerSource.LogsAndContainerScan;
}

/// <summary>Where a blob trigger learns of new blobs (names as in Azure Functions).</summary>
public enum BlobTriggerSource
{
    /// <summary>Poll the container listing.</summary>
    LogsAndContainerScan,

    /// <summary>Event Grid <c>Microsoft.Storage.BlobCreated</c> events delivered to a storage queue.</summary>
    EventGrid,
}
