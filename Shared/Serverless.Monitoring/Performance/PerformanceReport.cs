namespace Serverless.Monitoring.Performance;

/// <summary>Live model quality over a window, compared with the version's evaluation metric.</summary>
/// <param name="ModelName">The registered model.</param>
/// <param name="ModelVersion">Its version.</param>
/// <param name="Window">The window of predictions.</param>
/// <param name="LabelledRows">Predictions with a known actual value.</param>
/// <param name="LiveMetrics">Accuracy and macro-F1, or RMSE and MAE; empty when there were no labelled rows.</param>
/// <param name="Baseline">The evaluation metric compared against.</param>
/// <param name="Live">The live value of the baseline's metric; null when there were no labelled rows.</param>
/// <param name="RelativeChange">How much worse (positive) or better (negative) live is, relative to the baseline; null when not judged.</param>
/// <param name="Threshold">The relative worsening that counts as degraded.</param>
/// <param name="Verdict">Ok, degraded, or insufficient data.</param>
public sealed record PerformanceReport(
    string ModelName,
    string ModelVersion,
    MonitoringWindow Window,
    int LabelledRows,
    IReadOnlyDictionary<PerformanceMetric, double> LiveMetrics,
    PerformanceBaseline Baseline,
    double? Live,
    double? RelativeChange,
    double Threshold,
    PerformanceVerdict Verdict);
