using Serverless.Domain.Datasets;
using Serverless.Domain.Models;
using Serverless.ML.Training;
using Serverless.Onnx;

namespace Serverless.ML.Evaluation;

/// <summary>
/// Computes metrics from predictions (ONNX Runtime's or ML.NET's, in the <see cref="ModelPredictions"/> convention), so
/// production and challenger models are measured identically. Binary: the positive class is <c>classes[1]</c>
/// (the second of the two sorted classes).
/// </summary>
public static class ModelEvaluator
{
    private const double Epsilon = 1e-15;

    /// <summary>Evaluates against the label column of the scored frame.</summary>
    /// <exception cref="ArgumentException">Row counts differ, or the predictions lack the outputs the task needs.</exception>
    public static ModelEvaluation Evaluate(TaskKind task, IReadOnlyList<string> classes, FrameColumn actual, ModelPredictions predictions)
    {
        ArgumentNullException.ThrowIfNull(actual);
        if (task == TaskKind.Regression)
        {
            var numeric = actual as NumericColumn ?? throw new ArgumentException($"The regression label '{actual.Name}' must be numeric.", nameof(actual));
            return EvaluateRegression(numeric.Values, predictions);
        }

        var labels = LabelValues.ClassesOf(actual);

        return EvaluateClassification(task, classes, labels, predictions);
    }

    /// <summary>Regression metrics; rows whose actual value is NaN are skipped.</summary>
    public static ModelEvaluation EvaluateRegression(IReadOnlyList<double> actual, ModelPredictions predictions)
    {
        ArgumentNullException.ThrowIfNull(actual);
        ArgumentNullException.ThrowIfNull(predictions);
        var values = predictions.Values ?? throw new ArgumentException("The predictions have no regression values.", nameof(predictions));
        RequireSameLength(actual.Count, values.Length);
        long count = 0;
        double sum = 0, squared = 0, absolute = 0;
        for (var row = 0; row < actual.Count; row++)
        {
            if (double.IsNaN(actual[row]))
            {
                continue;
            }

            count++;
            sum += actual[row];
            var error = values[row] - actual[row];
            squared += error * error;
            absolute += Math.Abs(error);
        }

        var mean = count == 0 ? 0 : sum / count;
        double total = 0;
        foreach (var value in actual)
        {
            if (!double.IsNaN(value))
            {
                total += (value - mean) * (value - mean);
            }
        }

        var metrics = new Dictionary<string, double>(StringComparer.Ordinal)
        {
            [MetricRegistry.Rmse] = count == 0 ? double.NaN : Math.Sqrt(squared / count),
            [MetricRegistry.Mae] = count == 0 ? double.NaN : absolute / count,
            [MetricRegistry.R2] = total == 0 ? double.NaN : 1 - (squared / total),
        };
        return new ModelEvaluation(metrics, count, actual.Count - count);
    }

    /// <summary>Binary or multiclass metrics; rows whose actual class is missing or not in <paramref name="classes"/> are skipped.</summary>
    public static ModelEvaluation EvaluateClassification(TaskKind task, IReadOnlyList<string> classes, IReadOnlyList<string?> actual, ModelPredictions predictions)
    {
        ArgumentNullException.ThrowIfNull(classes);
        ArgumentNullException.ThrowIfNull(actual);
        ArgumentNullException.ThrowIfNull(predictions);
        var labels = predictions.Labels ?? throw new ArgumentException("The predictions have no labels.", nameof(predictions));
        var probabilities = predictions.Probabilities ?? throw new ArgumentException("The predictions have no probabilities.", nameof(predictions));
        RequireSameLength(actual.Count, labels.Length);
        var c = classes.Count;
        if (probabilities.Length != labels.Length * c)
        {
            throw new ArgumentException($"The predictions have {probabilities.Length} probabilities for {labels.Length} rows and {c} classes.", nameof(predictions));
        }

        var index = classes.Select((name, i) => (name, i)).ToDictionary(p => p.name, p => p.i, StringComparer.Ordinal);
        var actualIndex = new List<int>(actual.Count);
        var predictedIndex = new List<int>(actual.Count);
        var actualProbability = new List<double>(actual.Count);
        var positiveScore = new List<double>(actual.Count);
        for (var row = 0; row < actual.Count; row++)
        {
            if (actual[row] is not { } value || !index.TryGetValue(value, out var a))
            {
                continue;
            }

            actualIndex.Add(a);
            predictedIndex.Add(index.TryGetValue(labels[row], out var p) ? p : -1);
            actualProbability.Add(probabilities[(row * c) + a]);
            if (c == 2)
            {
                positiveScore.Add(probabilities[(row * c) + 1]);
            }
        }

        var n = actualIndex.Count;
        var confusion = new long[c][];
        for (var i = 0; i < c; i++)
        {
            confusion[i] = new long[c];
        }

        long correct = 0;
        for (var i = 0; i < n; i++)
        {
            if (predictedIndex[i] >= 0)
            {
                confusion[actualIndex[i]][predictedIndex[i]]++;
            }

            if (predictedIndex[i] == actualIndex[i])
            {
                correct++;
            }
        }

        var perClass = Enumerable.Range(0, c).Select(k => ClassMetricsOf(classes[k], k, confusion)).ToList();
        var accuracy = n == 0 ? double.NaN : (double)correct / n;
        var logLoss = n == 0 ? double.NaN : actualProbability.Average(p => -Math.Log(Math.Clamp(p, Epsilon, 1 - Epsilon)));
        var metrics = new Dictionary<string, double>(StringComparer.Ordinal)
        {
            [MetricRegistry.Accuracy] = accuracy,
            [MetricRegistry.LogLoss] = logLoss,
        };
        if (task == TaskKind.Binary)
        {
            var positives = actualIndex.Select(a => a == 1).ToList();
            metrics[MetricRegistry.Precision] = perClass[1].Precision;
            metrics[MetricRegistry.Recall] = perClass[1].Recall;
            metrics[MetricRegistry.F1] = perClass[1].F1;
            metrics[MetricRegistry.Auc] = RankingMetrics.RocAuc(positiveScore, positives);
            metrics[MetricRegistry.PrAuc] = RankingMetrics.AveragePrecision(positiveScore, positives);
        }
        else
        {
            metrics[MetricRegistry.MicroAccuracy] = accuracy;
            metrics[MetricRegistry.MacroAccuracy] = perClass.Where(m => m.Support > 0).Select(m => m.Recall).DefaultIfEmpty(double.NaN).Average();
        }

        return new ModelEvaluation(metrics, n, actual.Count - n, new ConfusionMatrix(classes, confusion), perClass);
    }

    private static ClassMetrics ClassMetricsOf(string name, int k, long[][] confusion)
    {
        var truePositive = confusion[k][k];
        var predicted = confusion.Sum(row => row[k]);
        var support = confusion[k].Sum();
        var precision = predicted == 0 ? 0 : (double)truePositive / predicted;
        var recall = support == 0 ? 0 : (double)truePositive / support;
        var f1 = precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall);
        return new ClassMetrics(name, precision, recall, f1, support);
    }

    private static void RequireSameLength(int actual, int predicted)
    {
        if (actual != predicted)
        {
            throw new ArgumentException($"There are {actual} actual values but {predicted} predictions.", nameof(predicted));
        }
    }
}
