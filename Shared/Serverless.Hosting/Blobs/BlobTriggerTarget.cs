using Serverless.Hosting.Configuration;

namespace Serverless.Hosting.Blobs;

/// <summary>A blob-triggered function with its parsed path and its concurrency limit.</summary>
public sealed record BlobTriggerTarget(FunctionDescriptor Function, BlobPathPattern Path, SemaphoreSlim Slots)
{
    /// <summary>
    /// The blob functions one listener serves. Event Grid triggers read events from the configured queue; without
    /// one (Azurite has no Event Grid) the container scan serves them too, so the same function runs on both hosts.
    /// </summary>
    public static IReadOnlyList<BlobTriggerTarget> From(FunctionCatalog catalog, BlobTriggerSource source, BlobsOptions options)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(options);
        var events = !string.IsNullOrWhiteSpace(options.EventQueueName);
        return catalog.WithTrigger<BlobTriggerAttribute>()
            .Where(f => ServedBy(((BlobTriggerAttribute)f.Trigger).Source, events) == source)
            .Select(f => new BlobTriggerTarget(f, ParsePath(f), new SemaphoreSlim(Math.Max(1, options.MaxDegreeOfParallelism))))
            .ToList();
    }

    private static BlobTriggerSource ServedBy(BlobTriggerSource declared, bool eventsConfigured) =>
        declared == BlobTriggerSource.EventGrid && eventsConfigured ? BlobTriggerSource.EventGrid : BlobTriggerSource.LogsAndContainerScan;

    private static BlobPathPattern ParsePath(FunctionDescriptor function)
    {
        try
        {
            return BlobPathPattern.Parse(((BlobTriggerAttribute)function.Trigger).BlobPath);
        }
        catch (FormatException e)
        {
            throw new InvalidOperationException($"Function '{function.Name}': {e.Message}", e);
        }
    }
}
