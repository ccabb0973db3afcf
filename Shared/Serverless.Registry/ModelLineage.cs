namespace Serverless.Registry;

/// <summary>Where a model version came from: enough to reproduce or audit it.</summary>
public sealed record ModelLineage
{
    /// <summary><c>trained</c> by the pipeline, or <c>uploaded</c> (bring your own ONNX).</summary>
    public string Source { get; init; } = "trained";

    public string? Project { get; init; }

    public int? DatasetVersion { get; init; }

    public string? DatasetHash { get; init; }

    public string? DatasetSource { get; init; }

    public string? RunId { get; init; }

    public string? CodeVersion { get; init; }

    public string? Trainer { get; init; }

    public IReadOnlyDictionary<string, double>? Parameters { get; init; }

    public int? Seed { get; init; }

    public IReadOnlyDictionary<string, int>? SplitSizes { get; init; }

    public IReadOnlyDictionary<string, double>? DurationsSeconds { get; init; }

    /// <summary>Why the run was started (upload, schedule, drift, manual).</summary>
    public string? Trigger { get; init; }
}
