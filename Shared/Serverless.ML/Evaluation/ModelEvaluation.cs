namespace Serverless.ML.Evaluation;

/// <summary>Counts of actual (rows) against predicted (columns) classes, in <see cref="Classes"/> order.</summary>
public sealed record ConfusionMatrix(IReadOnlyList<string> Classes, long[][] Counts);

/// <summary>Precision, recall and F1 of one class taken as the positive one.</summary>
public sealed record ClassMetrics(string Class, double Precision, double Recall, double F1, long Support);

/// <summary>
/// The metrics of one model on one labeled frame (see <see cref="MetricRegistry"/> for names and directions).
/// <see cref="SkippedRows"/> counts rows left out because the actual value is missing or a class the model does not know.
/// </summary>
public sealed record ModelEvaluation(
    IReadOnlyDictionary<string, double> Metrics,
    long RowCount,
    long SkippedRows,
    ConfusionMatrix? Confusion = null,
    IReadOnlyList<ClassMetrics>? PerClass = null)
{
    public static ModelEvaluation Empty { get; } = new(new Dictionary<string, double>(), 0, 0);

    /// <exception cref="KeyNotFoundException">The metric was not computed for this task.</exception>
    public double this[string metric] =>
        Metrics.TryGetValue(metric, out var value) ? value : throw new KeyNotFoundException($"Metric '{metric}' was not computed; available: {string.Join(", ", Metrics.Keys)}.");
}
