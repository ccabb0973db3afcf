namespace Serverless.Monitoring.Drift;

/// <summary>What to compare: a model version's features (and optionally its outputs) over a window.</summary>
public sealed record DriftRequest(
    string ModelName,
    string ModelVersion,
    MonitoringWindow Window,
    IReadOnlyList<FeatureComparison> Features,
    FeatureComparison? Prediction = null);
