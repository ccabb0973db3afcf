using Serverless.Domain.Datasets;
using Serverless.Domain.Models;

namespace Serverless.Data.Inference;

/// <summary>
/// The task when the spec does not say: a categorical/boolean/text label is binary with two classes and multiclass
/// with more; a numeric label with exactly two distinct values is binary; a numeric label of whole numbers with
/// 3 to <see cref="DatasetIngestionOptions.MulticlassMaxDistinct"/> distinct values is multiclass; any other
/// numeric label is regression.
/// </summary>
public static class TaskInference
{
    public static TaskKind Infer(FrameColumn label, DatasetIngestionOptions options)
    {
        ArgumentNullException.ThrowIfNull(label);
        ArgumentNullException.ThrowIfNull(options);
        if (label is NumericColumn { Kind: ColumnKind.Numeric } numeric)
        {
            var distinct = numeric.Values.Where(v => !double.IsNaN(v)).Distinct().Take(options.MulticlassMaxDistinct + 1).ToList();
            if (distinct.Count == 2)
            {
                return TaskKind.Binary;
            }

            return distinct.Count <= options.MulticlassMaxDistinct && distinct.Count > 2 && distinct.All(v => v == Math.Floor(v))
                ? TaskKind.Multiclass
                : TaskKind.Regression;
        }

        return ClassCounts.Of(label).Count <= 2 ? TaskKind.Binary : TaskKind.Multiclass;
    }
}
