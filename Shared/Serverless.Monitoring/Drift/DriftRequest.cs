namespace Serverless.Monitoring.Drift;

/// <summary>What to compare: a model version's features (and optionally its outputs) over a window.</summary>
/// <param name="DriftShare">The project's drift share (its spec's <c>monitoring.driftShare</c>); null uses <see cref="DriftOptions.DriftShare"/>.</param>
public sealed record DriftRequest(
    string ModelName,
    string ModelVersion,
    MonitoringWindow Window,
    IReadOnlyList<FeatureComparison> Features,
    FeatureComparison? Prediction = null,
    double? DriftShare = null);
