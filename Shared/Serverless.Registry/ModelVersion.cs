using Serverless.Domain.Models;

namespace Serverless.Registry;

/// <summary>An immutable, registered version of a model: its ONNX artifact, signature, metrics and lineage.</summary>
public sealed record ModelVersion(
    string Model,
    int Version,
    DateTimeOffset CreatedAt,
    ModelSignature Signature,
    IReadOnlyDictionary<string, double> Metrics,
    ModelLineage Lineage,
    string OnnxPath,
    string? ModelCardPath)
{
    /// <summary>Aliases pointing at this version when it was read.</summary>
    public IReadOnlyList<string> Aliases { get; init; } = [];

    /// <summary>Tags an operator set (<c>PATCH /api/models/{name}/versions/{v}</c>); kept on the version's row, not in its immutable manifest.</summary>
    public IReadOnlyDictionary<string, string> Tags { get; init; } = new Dictionary<string, string>();

    public string? Description { get; init; }

    /// <summary>Who last changed the tags or description, and when.</summary>
    public string? AnnotatedBy { get; init; }

    public DateTimeOffset? AnnotatedAt { get; init; }

    /// <summary>Permutation feature importance of the model on its test split (<c>[{feature, importance}]</c>, most important first); null when not measured.</summary>
    public IReadOnlyList<FeatureImportance>? FeatureImportance { get; init; }

    /// <summary>The model's test metrics per value of each spec <c>slices</c> column; null when not measured.</summary>
    public IReadOnlyList<SliceMetrics>? Slices { get; init; }
}
