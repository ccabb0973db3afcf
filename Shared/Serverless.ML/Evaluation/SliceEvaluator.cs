using System.Globalization;
using Serverless.Domain.Datasets;
using Serverless.Domain.Models;
using Serverless.Domain.Projects;
using Serverless.Onnx;

namespace Serverless.ML.Evaluation;

/// <summary>
/// Slice metrics: the rows of a scored frame grouped by the value of a column (text as is, numbers in invariant
/// culture, empty as <see cref="Missing"/>), each group measured by <see cref="ModelEvaluator"/> like the whole frame.
/// Metrics undefined on a slice are left out of it. Per column, at most <see cref="ProjectSpecLimits.MaxSliceValues"/> values, the most frequent.
/// </summary>
public static class SliceEvaluator
{
    public const string Missing = "(missing)";

    /// <exception cref="SliceColumnException">A slice column is not in the frame.</exception>
    public static IReadOnlyList<SliceMetrics> Evaluate(TaskKind task, IReadOnlyList<string> classes, TabularFrame scored, string label, ModelPredictions predictions, IReadOnlyList<string> columns)
    {
        ArgumentNullException.ThrowIfNull(scored);
        ArgumentNullException.ThrowIfNull(predictions);
        ArgumentNullException.ThrowIfNull(columns);
        var result = new List<SliceMetrics>(columns.Count);
        foreach (var name in columns)
        {
            if (!scored.Contains(name))
            {
                throw new SliceColumnException($"slices: column '{name}' is not in the test data (columns: {string.Join(", ", scored.Columns.Select(c => c.Name))}).");
            }

            var column = scored[name];
            var groups = Enumerable.Range(0, scored.RowCount)
                .GroupBy(row => ValueOf(column, row), StringComparer.Ordinal)
                .OrderByDescending(g => g.Count()).ThenBy(g => g.Key, StringComparer.Ordinal)
                .Take(ProjectSpecLimits.MaxSliceValues)
                .OrderBy(g => g.Key, StringComparer.Ordinal);
            var values = new List<SliceValueMetrics>();
            foreach (var group in groups)
            {
                var rows = group.ToList();
                var evaluation = ModelEvaluator.Evaluate(task, classes, scored.Take(rows)[label], Subset(predictions, rows));
                // A metric undefined on a slice (AUC of a one-class slice) is left out rather than stored as NaN.
                var defined = evaluation.Metrics.Where(m => double.IsFinite(m.Value)).ToDictionary(m => m.Key, m => m.Value, StringComparer.Ordinal);
                values.Add(new SliceValueMetrics(group.Key, evaluation.RowCount, defined));
            }

            result.Add(new SliceMetrics(name, values));
        }

        return result;
    }

    private static string ValueOf(FrameColumn column, int row) => column switch
    {
        _ when column.IsMissing(row) => Missing,
        TextColumn text => text.Values[row]!,
        NumericColumn numeric => numeric.Values[row].ToString(CultureInfo.InvariantCulture),
        _ => Missing,
    };

    private static ModelPredictions Subset(ModelPredictions predictions, List<int> rows)
    {
        var classes = predictions.Classes?.Count ?? 0;
        float[]? probabilities = null;
        if (predictions.Probabilities is { } all && classes > 0)
        {
            probabilities = new float[rows.Count * classes];
            for (var i = 0; i < rows.Count; i++)
            {
                Array.Copy(all, rows[i] * classes, probabilities, i * classes, classes);
            }
        }

        return predictions with
        {
            Labels = predictions.Labels is { } labels ? [.. rows.Select(r => labels[r])] : null,
            Probabilities = probabilities,
            Values = predictions.Values is { } values ? [.. rows.Select(r => values[r])] : null,
        };
    }
}
