namespace Serverless.Monitoring.Performance;

/// <summary>
/// Live performance over a window of labelled predictions: accuracy and macro-F1 for classifiers, RMSE and MAE for
/// regressors, compared with the version's evaluation metric. Degraded when the live metric is worse by more than
/// <see cref="PerformanceOptions.RelativeDegradation"/> of the baseline (relative to |baseline|), judged only with
/// at least <see cref="PerformanceOptions.MinimumLabelledRows"/> labelled rows.
/// </summary>
public static class PerformanceWindow
{
    /// <summary>Evaluates a classifier; predictions without an actual label are skipped.</summary>
    public static PerformanceReport EvaluateClassification(
        string modelName, string modelVersion, MonitoringWindow window,
        IEnumerable<LabelledClass> predictions, PerformanceBaseline baseline, PerformanceOptions options)
    {
        ArgumentNullException.ThrowIfNull(predictions);
        ArgumentNullException.ThrowIfNull(baseline);
        if (!baseline.Metric.IsClassification())
        {
            throw new ArgumentException($"A classifier cannot be compared with a {baseline.Metric} baseline; use Accuracy or MacroF1.", nameof(baseline));
        }

        var labelled = predictions.Where(p => p.Actual is not null).ToArray();
        var metrics = labelled.Length == 0
            ? new Dictionary<PerformanceMetric, double>()
            : new Dictionary<PerformanceMetric, double>
            {
                [PerformanceMetric.Accuracy] = ClassificationMetrics.Accuracy(labelled),
                [PerformanceMetric.MacroF1] = ClassificationMetrics.MacroF1(labelled),
            };
        return Judge(modelName, modelVersion, window, labelled.Length, metrics, baseline, options);
    }

    /// <summary>Evaluates a regressor; predictions whose actual value is NaN are skipped.</summary>
    public static PerformanceReport EvaluateRegression(
        string modelName, string modelVersion, MonitoringWindow window,
        IEnumerable<LabelledValue> predictions, PerformanceBaseline baseline, PerformanceOptions options)
    {
        ArgumentNullException.ThrowIfNull(predictions);
        ArgumentNullException.ThrowIfNull(baseline);
        if (baseline.Metric.IsClassification())
        {
            throw new ArgumentException($"A regressor cannot be compared with a {baseline.Metric} baseline; use Rmse or Mae.", nameof(baseline));
        }

        var labelled = predictions.Where(p => !double.IsNaN(p.Actual)).ToArray();
        var bad = Array.FindIndex(labelled, p => !double.IsFinite(p.Predicted) || !double.IsFinite(p.Actual));
        if (bad >= 0)
        {
            throw new ArgumentException($"Labelled prediction {bad} is not finite (predicted {labelled[bad].Predicted}, actual {labelled[bad].Actual}).", nameof(predictions));
        }

        var metrics = labelled.Length == 0
            ? new Dictionary<PerformanceMetric, double>()
            : new Dictionary<PerformanceMetric, double>
            {
                [PerformanceMetric.Rmse] = Math.Sqrt(labelled.Average(p => (p.Predicted - p.Actual) * (p.Predicted - p.Actual))),
                [PerformanceMetric.Mae] = labelled.Average(p => Math.Abs(p.Predicted - p.Actual)),
            };
        return Judge(modelName, modelVersion, window, labelled.Length, metrics, baseline, options);
    }

    private static PerformanceReport Judge(
        string modelName, string modelVersion, MonitoringWindow window, int labelledRows,
        Dictionary<PerformanceMetric, double> metrics, PerformanceBaseline baseline, PerformanceOptions options)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(modelName);
        ArgumentException.ThrowIfNullOrWhiteSpace(modelVersion);
        ArgumentNullException.ThrowIfNull(window);
        ArgumentNullException.ThrowIfNull(options);
        window.Validate();
        options.Validate();
        if (!double.IsFinite(baseline.Value))
        {
            throw new ArgumentException($"The {baseline.Metric} baseline is {baseline.Value}; it must be finite.", nameof(baseline));
        }

        double? live = metrics.TryGetValue(baseline.Metric, out var value) ? value : null;
        if (live is null || labelledRows < options.MinimumLabelledRows)
        {
            return new PerformanceReport(modelName, modelVersion, window, labelledRows, metrics, baseline, live, null,
                options.RelativeDegradation, PerformanceVerdict.InsufficientData);
        }

        // Positive = worse. A zero baseline (a perfect regressor) makes any error infinitely worse; keep it finite.
        var worsening = baseline.Metric.HigherIsBetter() ? baseline.Value - live.Value : live.Value - baseline.Value;
        var relative = worsening / Math.Max(Math.Abs(baseline.Value), 1e-12);
        var verdict = relative > options.RelativeDegradation ? PerformanceVerdict.Degraded : PerformanceVerdict.Ok;
        return new PerformanceReport(modelName, modelVersion, window, labelledRows, metrics, baseline, live, relative,
            options.RelativeDegradation, verdict);
    }
}
