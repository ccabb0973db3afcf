using Serverless.Domain.Models;

namespace Serverless.Registry;

/// <summary>What the pipeline (or an upload) asks the registry to record as a new version.</summary>
/// <remarks>
/// <see cref="AttemptId"/> names one execution of the run (the orchestration makes it deterministically): registering
/// again with the same attempt id is that execution retrying, with another (or none) a later execution of the same run id
/// (a re-run after its durable instance was purged), which <see cref="ModelRegistrationOutcome.AlreadyRegistered"/> reports.
/// </remarks>
public sealed record ModelRegistration(
    string Model,
    string RegistrationId,
    ModelSignature Signature,
    IReadOnlyDictionary<string, double> Metrics,
    ModelLineage Lineage,
    ReadOnlyMemory<byte> Onnx,
    string? ModelCardMarkdown = null,
    string? ModelCardJson = null)
{
    /// <summary>One execution of the run; see the remarks.</summary>
    public string? AttemptId { get; init; }

    /// <summary>Permutation feature importance on the test split, most important first (none for uploads).</summary>
    public IReadOnlyList<FeatureImportance>? FeatureImportance { get; init; }

    /// <summary>Test metrics per value of each spec <c>slices</c> column.</summary>
    public IReadOnlyList<SliceMetrics>? Slices { get; init; }
}
