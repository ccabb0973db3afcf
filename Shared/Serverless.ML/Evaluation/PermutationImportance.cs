using System.Globalization;
using Microsoft.ML;
using Microsoft.ML.Data;
using Serverless.Domain.Datasets;
using Serverless.Domain.Models;
using Serverless.ML.Features;
using Serverless.ML.Training;

namespace Serverless.ML.Evaluation;

/// <summary>
/// Permutation feature importance of a trained model on a labeled frame, by ML.NET's PFI
/// (<c>PermutationFeatureImportance</c>) on the model's predictor: each feature-vector entry is shuffled
/// <see cref="Permutations"/> times and the mean worsening of the task's metric is its importance — binary: the drop
/// in AUC; multiclass: the rise in log-loss; regression: the rise in RMSE. A raw column's importance is the sum over
/// its entries (a categorical column's one-hot entries are shuffled one at a time). Sorted, most important first.
/// </summary>
public static class PermutationImportance
{
    public const int Permutations = 3;

    /// <summary>
    /// Most labeled rows PFI shuffles (an evenly spaced sample of the already shuffled test split above it): its cost is
    /// rows x entries x <see cref="Permutations"/> predictions, a minute on 200,000 rows of 20 features; the ranking is stable well below this.
    /// </summary>
    public const int MaxRows = 10_000;

    /// <summary>The metric whose worsening is the importance, per task.</summary>
    public static string MetricFor(TaskKind task) => task switch
    {
        TaskKind.Binary => MetricRegistry.Auc,
        TaskKind.Multiclass => MetricRegistry.LogLoss,
        _ => MetricRegistry.Rmse,
    };

    /// <summary>The importance of each raw input of <paramref name="candidate"/> on <paramref name="frame"/>'s labeled rows (at most <see cref="MaxRows"/> of them).</summary>
    /// <exception cref="ArgumentException">The frame lacks the label or an input, or has no labeled rows of a known class.</exception>
    public static IReadOnlyList<FeatureImportance> Compute(TrainedCandidate candidate, TabularFrame frame)
    {
        ArgumentNullException.ThrowIfNull(candidate);
        ArgumentNullException.ThrowIfNull(frame);
        var setup = candidate.Setup;
        var known = KnownRows(frame, setup);
        if (known.RowCount == 0)
        {
            throw new ArgumentException($"The frame has no rows with a known '{setup.Label}' value to measure feature importance on.", nameof(frame));
        }

        // Entry i is named by its index, so ML.NET's results (keyed by slot name) map back to the plan's entries.
        var names = Enumerable.Range(0, candidate.Features.Width).Select(i => i.ToString(CultureInfo.InvariantCulture)).ToList();
        var data = TrainingData.Labeled(known, setup, candidate.Features).WithSlotNames(names);
        var ml = new MLContext(setup.Seed);
        var predictor = Predictor(candidate.Model);
        var worsening = setup.Task switch
        {
            TaskKind.Binary => ml.BinaryClassification.PermutationFeatureImportanceNonCalibrated(predictor, data, FeatureDataView.LabelColumn, permutationCount: Permutations)
                .ToDictionary(p => p.Key, p => -p.Value.AreaUnderRocCurve.Mean),
            TaskKind.Multiclass => ml.MulticlassClassification.PermutationFeatureImportance(predictor, data, FeatureDataView.LabelColumn, permutationCount: Permutations)
                .ToDictionary(p => p.Key, p => p.Value.LogLoss.Mean),
            _ => ml.Regression.PermutationFeatureImportance(predictor, data, FeatureDataView.LabelColumn, permutationCount: Permutations)
                .ToDictionary(p => p.Key, p => p.Value.RootMeanSquaredError.Mean),
        };
        var perEntry = names.Select(n => worsening.TryGetValue(n, out var value) ? value : 0.0).ToArray();
        return PerColumn(candidate.Features, perEntry);
    }

    /// <summary>Sums entry importances per raw column; sorted by importance (descending), then name.</summary>
    internal static IReadOnlyList<FeatureImportance> PerColumn(FeaturePlan plan, IReadOnlyList<double> perEntry)
    {
        if (perEntry.Count != plan.Width)
        {
            throw new InvalidOperationException($"PFI gave {perEntry.Count} importances for a feature vector of {plan.Width}.");
        }

        var result = new List<FeatureImportance>(plan.Slots.Count);
        var offset = 0;
        foreach (var slot in plan.Slots)
        {
            double sum = 0;
            for (var i = 0; i < slot.Width; i++)
            {
                sum += perEntry[offset + i];
            }

            result.Add(new FeatureImportance(slot.Name, sum));
            offset += slot.Width;
        }

        return [.. result.OrderByDescending(f => f.Importance).ThenBy(f => f.Feature, StringComparer.Ordinal)];
    }

    /// <summary>The trainer's prediction transformer: the first in the chain (a Platt calibrator may follow it).</summary>
    private static ITransformer Predictor(ITransformer model)
    {
        IEnumerable<ITransformer> chain = model is IEnumerable<ITransformer> transformers ? transformers : [model];
        return chain.OfType<ISingleFeaturePredictionTransformer<object>>().FirstOrDefault()
            ?? throw new InvalidOperationException("The ML.NET model holds no predictor.");
    }

    internal static TabularFrame KnownRows(TabularFrame frame, TrainingSetup setup)
    {
        if (!frame.Contains(setup.Label))
        {
            throw new ArgumentException($"The data has no label column '{setup.Label}'.", nameof(frame));
        }

        var label = frame[setup.Label];
        var classes = new HashSet<string>(setup.Classes, StringComparer.Ordinal);
        var classOf = setup.Task == Serverless.Domain.Models.TaskKind.Regression ? null : LabelValues.ClassesOf(label);
        var rows = Enumerable.Range(0, frame.RowCount)
            .Where(r => !label.IsMissing(r) && (classOf is null || (classOf[r] is { } c && classes.Contains(c))))
            .ToList();
        if (rows.Count > MaxRows)
        {
            rows = [.. Enumerable.Range(0, MaxRows).Select(i => rows[(int)((long)i * rows.Count / MaxRows)])];
        }

        return rows.Count == frame.RowCount ? frame : frame.Take(rows);
    }
}
