namespace Serverless.Monitoring.Stores;

/// <summary>The summary row of a stored drift report and where its full JSON is.</summary>
public sealed record StoredDriftReport(
    string Id,
    string Model,
    string Version,
    DateTimeOffset ComputedAt,
    bool DatasetDrift,
    bool PredictionDrift,
    int DriftedFeatures,
    int EvaluatedFeatures,
    string BlobPath);
