using Serverless.Domain.Datasets;
using Serverless.Domain.Models;
using Serverless.ML.Features;

namespace Serverless.ML.Training;

/// <summary>Turns frames into ML.NET data views through a fitted <see cref="FeaturePlan"/>.</summary>
internal static class TrainingData
{
    /// <summary>The labeled rows of <paramref name="frame"/> (rows with a missing label are left out).</summary>
    /// <exception cref="ArgumentException">The label column is absent, or a class is not one of the setup's classes.</exception>
    public static FeatureDataView Labeled(TabularFrame frame, TrainingSetup setup, FeaturePlan plan)
    {
        if (!frame.Contains(setup.Label))
        {
            throw new ArgumentException($"The data has no label column '{setup.Label}'.", nameof(frame));
        }

        var label = frame[setup.Label];
        var classOf = setup.Task == TaskKind.Regression ? null : LabelValues.ClassesOf(label);
        var rows = Enumerable.Range(0, frame.RowCount).Where(r => !label.IsMissing(r) && (classOf is null || classOf[r] is not null)).ToList();
        var all = rows.Count == frame.RowCount;
        var kept = all ? frame : frame.Take(rows);
        var features = plan.Transform(kept);
        var labelColumn = kept[setup.Label];
        var keptClasses = classOf is null ? null : all ? classOf : rows.Select(r => classOf[r]).ToArray();
        switch (setup.Task)
        {
            case TaskKind.Regression:
                var numeric = labelColumn as NumericColumn ?? throw new ArgumentException($"The regression label '{setup.Label}' must be numeric.", nameof(frame));
                return FeatureDataView.Regression(features, plan.Width, numeric.Values.Select(v => (float)v).ToArray());
            case TaskKind.Binary:
                var binary = ClassIndexes(labelColumn, keptClasses!, setup.Classes).Select(i => i == 1).ToArray();
                return FeatureDataView.Binary(features, plan.Width, binary);
            default:
                var keys = ClassIndexes(labelColumn, keptClasses!, setup.Classes).Select(i => (uint)(i + 1)).ToArray();
                return FeatureDataView.Multiclass(features, plan.Width, keys, setup.Classes.Count);
        }
    }

    /// <summary>Features only, for scoring.</summary>
    public static FeatureDataView Unlabeled(TabularFrame frame, FeaturePlan plan) =>
        FeatureDataView.Unlabeled(plan.Transform(frame), plan.Width, frame.RowCount);

    private static int[] ClassIndexes(FrameColumn column, string?[] rowClasses, IReadOnlyList<string> classes)
    {
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < classes.Count; i++)
        {
            index[classes[i]] = i;
        }

        var result = new int[column.Length];
        for (var row = 0; row < result.Length; row++)
        {
            var value = rowClasses[row]!;
            result[row] = index.TryGetValue(value, out var position)
                ? position
                : throw new ArgumentException($"Row {row}: label value '{value}' in column '{column.Name}' is not one of the training classes ({string.Join(", ", classes)}).", nameof(column));
        }

        return result;
    }
}
