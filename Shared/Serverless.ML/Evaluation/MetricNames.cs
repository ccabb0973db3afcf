using Serverless.Domain.Models;

namespace Serverless.ML.Evaluation;

/// <summary>A metric's name, whether a larger value is better, and the tasks it applies to.</summary>
public sealed record MetricDefinition(string Name, bool HigherIsBetter, IReadOnlyList<TaskKind> Tasks, string Description);

/// <summary>
/// The metrics the product computes and the gates compare. Binary metrics take the second of the two sorted classes
/// as the positive class.
/// </summary>
public static class MetricRegistry
{
    public const string Auc = "auc";
    public const string PrAuc = "prAuc";
    public const string Accuracy = "accuracy";
    public const string Precision = "precision";
    public const string Recall = "recall";
    public const string F1 = "f1";
    public const string LogLoss = "logLoss";
    public const string MicroAccuracy = "microAccuracy";
    public const string MacroAccuracy = "macroAccuracy";
    public const string Rmse = "rmse";
    public const string Mae = "mae";
    public const string R2 = "r2";

    private static readonly Dictionary<string, MetricDefinition> ByName = new MetricDefinition[]
    {
        new(Auc, true, [TaskKind.Binary], "Area under the ROC curve of the positive-class probability (ties count half)."),
        new(PrAuc, true, [TaskKind.Binary], "Area under the precision-recall curve, as average precision over the positive rows."),
        new(Accuracy, true, [TaskKind.Binary, TaskKind.Multiclass], "Share of rows whose predicted label is the actual one."),
        new(Precision, true, [TaskKind.Binary], "Of the rows predicted positive, the share that are positive."),
        new(Recall, true, [TaskKind.Binary], "Of the positive rows, the share predicted positive."),
        new(F1, true, [TaskKind.Binary], "Harmonic mean of precision and recall."),
        new(LogLoss, false, [TaskKind.Binary, TaskKind.Multiclass], "Mean negative natural log of the probability given to the actual class (clamped at 1e-15)."),
        new(MicroAccuracy, true, [TaskKind.Multiclass], "Share of rows whose predicted label is the actual one."),
        new(MacroAccuracy, true, [TaskKind.Multiclass], "Mean over classes of the per-class recall."),
        new(Rmse, false, [TaskKind.Regression], "Root mean squared error."),
        new(Mae, false, [TaskKind.Regression], "Mean absolute error."),
        new(R2, true, [TaskKind.Regression], "Coefficient of determination: 1 - SSres / SStot."),
    }.ToDictionary(m => m.Name, StringComparer.OrdinalIgnoreCase);

    public static IReadOnlyCollection<MetricDefinition> All => ByName.Values;

    /// <exception cref="ArgumentException">The metric is unknown.</exception>
    public static MetricDefinition Get(string name) =>
        ByName.TryGetValue(name, out var metric) ? metric : throw new ArgumentException($"Unknown metric '{name}'; known metrics: {string.Join(", ", ByName.Keys)}.", nameof(name));

    public static bool IsKnown(string name) => ByName.ContainsKey(name);

    public static bool HigherIsBetter(string name) => Get(name).HigherIsBetter;

    /// <summary>The metric that picks the best candidate when the spec names none: binary <c>auc</c>, multiclass <c>macroAccuracy</c>, regression <c>rmse</c>.</summary>
    public static string DefaultFor(TaskKind task) => task switch
    {
        TaskKind.Binary => Auc,
        TaskKind.Multiclass => MacroAccuracy,
        _ => Rmse,
    };

    /// <summary>Whether <paramref name="candidate"/> is better than <paramref name="baseline"/> by more than <paramref name="margin"/> in the metric's direction.</summary>
    public static bool Beats(string metric, double candidate, double baseline, double margin = 0) =>
        HigherIsBetter(metric) ? candidate > baseline + margin : candidate < baseline - margin;
}
