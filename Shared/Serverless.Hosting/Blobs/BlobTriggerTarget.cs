namespace Serverless.Hosting.Blobs;

/// <summary>A blob-triggered function with its parsed path and its concurrency limit.</summary>
public sealed record BlobTriggerTarget(FunctionDescriptor Function, BlobPathPattern Path, SemaphoreSlim Slots)
{
    public static IReadOnlyList<BlobTriggerTarget> From(FunctionCatalog catalog, BlobTriggerSource source, int maxDegreeOfParallelism)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        return catalog.WithTrigger<BlobTriggerAttribute>()
            .Where(f => ((BlobTriggerAttribute)f.Trigger).Source == source)
            .Select(f => new BlobTriggerTarget(f, ParsePath(f), new SemaphoreSlim(Math.Max(1, maxDegreeOfParallelism))))
            .ToList();
    }

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
