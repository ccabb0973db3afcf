namespace Serverless.Monitoring.Drift;

/// <summary>
/// The data and prediction drift of one model version over a window. Serializes to JSON with
/// <c>JsonSerializerOptions.Web</c> (enums as strings).
/// </summary>
/// <param name="ModelName">The registered model.</param>
/// <param name="ModelVersion">Its version.</param>
/// <param name="Window">The window of current data.</param>
/// <param name="ComputedAt">When the report was computed.</param>
/// <param name="Features">One check per feature, in the order given.</param>
/// <param name="EvaluatedFeatures">Features with enough data to test.</param>
/// <param name="DriftedFeatures">Features whose verdict is drift.</param>
/// <param name="DriftedShare">DriftedFeatures / EvaluatedFeatures (0 when none was evaluated).</param>
/// <param name="DriftShareThreshold">The share at which the dataset counts as drifted.</param>
/// <param name="DatasetDrift">Whether <paramref name="DriftedShare"/> reached the threshold.</param>
/// <param name="Prediction">Drift of the model's outputs against the reference predictions, when given.</param>
public sealed record DriftReport(
    string ModelName,
    string ModelVersion,
    MonitoringWindow Window,
    DateTimeOffset ComputedAt,
    IReadOnlyList<FeatureDrift> Features,
    int EvaluatedFeatures,
    int DriftedFeatures,
    double DriftedShare,
    double DriftShareThreshold,
    bool DatasetDrift,
    FeatureDrift? Prediction)
{
    /// <summary>Whether anything drifted: the dataset or the predictions.</summary>
    public bool AnyDrift => DatasetDrift || Prediction?.Verdict == DriftVerdict.Drift;
}
