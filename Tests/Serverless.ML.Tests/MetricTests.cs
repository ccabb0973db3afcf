using Microsoft.ML;
using Microsoft.ML.Data;
using Serverless.Domain.Models;
using Serverless.ML.Evaluation;
using Serverless.Onnx;
using Xunit;

namespace Serverless.ML.Tests;

public sealed class MetricTests
{
    private static readonly string[] Binary = ["neg", "pos"];

    [Fact]
    public void Binary_metrics_match_a_hand_computed_case()
    {
        // Positive = "pos" (the second sorted class). Scores 0.9 pos, 0.8 neg, 0.7 pos, 0.3 neg, 0.2 pos.
        float[] positive = [0.9f, 0.8f, 0.7f, 0.3f, 0.2f];
        string?[] actual = ["pos", "neg", "pos", "neg", "pos"];

        var result = ModelEvaluator.EvaluateClassification(TaskKind.Binary, Binary, actual, BinaryPredictions(positive));

        // Predicted (p >= 0.5 wins the argmax): pos, pos, pos, neg, neg → TP 2, FP 1, FN 1, TN 1.
        Assert.Equal(3.0 / 5, result[MetricRegistry.Accuracy], 12);
        Assert.Equal(2.0 / 3, result[MetricRegistry.Precision], 12);
        Assert.Equal(2.0 / 3, result[MetricRegistry.Recall], 12);
        Assert.Equal(2.0 / 3, result[MetricRegistry.F1], 12);
        // Of the 6 (positive, negative) pairs the positive outranks the negative in 3: (0.9,0.8), (0.9,0.3), (0.7,0.3).
        Assert.Equal(3.0 / 6, result[MetricRegistry.Auc], 12);
        // Average precision: positives at ranks 1, 3, 5 → (1/1 + 2/3 + 3/5) / 3.
        Assert.Equal((1 + (2.0 / 3) + (3.0 / 5)) / 3, result[MetricRegistry.PrAuc], 6);
        var expectedLogLoss = -(Math.Log(0.9) + Math.Log(0.2) + Math.Log(0.7) + Math.Log(0.7) + Math.Log(0.2)) / 5;
        Assert.Equal(expectedLogLoss, result[MetricRegistry.LogLoss], 5);
        Assert.Equal([[1L, 1L], [1L, 2L]], result.Confusion!.Counts);
    }

    [Fact]
    public void Tied_scores_count_half_in_auc_and_missing_or_unknown_actuals_are_skipped()
    {
        float[] positive = [0.5f, 0.5f, 0.1f, 0.9f];
        string?[] actual = ["pos", "neg", null, "maybe"];

        var result = ModelEvaluator.EvaluateClassification(TaskKind.Binary, Binary, actual, BinaryPredictions(positive));

        Assert.Equal(0.5, result[MetricRegistry.Auc], 12);
        Assert.Equal(2, result.RowCount);
        Assert.Equal(2, result.SkippedRows);
    }

    [Fact]
    public void Multiclass_metrics_match_a_hand_computed_case()
    {
        string[] classes = ["a", "b", "c"];
        float[] probabilities = [0.7f, 0.2f, 0.1f, 0.1f, 0.8f, 0.1f, 0.6f, 0.3f, 0.1f, 0.2f, 0.2f, 0.6f];
        string?[] actual = ["a", "b", "b", "c"];

        var result = ModelEvaluator.EvaluateClassification(TaskKind.Multiclass, classes, actual, Predictions(TaskKind.Multiclass, classes, probabilities));

        Assert.Equal(0.75, result[MetricRegistry.MicroAccuracy], 12);
        Assert.Equal((1 + 0.5 + 1) / 3, result[MetricRegistry.MacroAccuracy], 12);
        Assert.Equal(-(Math.Log(0.7) + Math.Log(0.8) + Math.Log(0.3) + Math.Log(0.6)) / 4, result[MetricRegistry.LogLoss], 5);
        var a = result.PerClass!.Single(m => m.Class == "a");
        Assert.Equal(0.5, a.Precision, 12);
        Assert.Equal(1.0, a.Recall, 12);
        Assert.Equal(2.0 / 3, a.F1, 12);
    }

    [Fact]
    public void Regression_metrics_match_a_hand_computed_case()
    {
        double[] actual = [1, 2, 3, double.NaN];
        var predictions = new ModelPredictions(TaskKind.Regression, null, null, null, [2f, 2f, 5f, 100f]);

        var result = ModelEvaluator.EvaluateRegression(actual, predictions);

        Assert.Equal(Math.Sqrt(5.0 / 3), result[MetricRegistry.Rmse], 12);
        Assert.Equal(1.0, result[MetricRegistry.Mae], 12);
        Assert.Equal(1 - (5.0 / 2), result[MetricRegistry.R2], 12);
        Assert.Equal(1, result.SkippedRows);
    }

    [Fact]
    public void Binary_metrics_agree_with_ml_net()
    {
        var random = new Random(5);
        var rows = Enumerable.Range(0, 400).Select(_ =>
        {
            var label = random.NextDouble() < 0.4;
            var p = (float)Math.Clamp((label ? 0.62 : 0.4) + ((random.NextDouble() - 0.5) * 0.7), 0.01, 0.99);
            return new BinaryRow { Label = label, Score = p - 0.5f, Probability = p, PredictedLabel = p > 0.5f };
        }).ToList();
        var ml = new MLContext(1);
        var expected = ml.BinaryClassification.Evaluate(ml.Data.LoadFromEnumerable(rows));

        var ours = ModelEvaluator.EvaluateClassification(TaskKind.Binary, Binary, rows.Select(r => r.Label ? "pos" : "neg").ToList(), BinaryPredictions(rows.Select(r => r.Probability).ToArray()));

        Assert.Equal(expected.Accuracy, ours[MetricRegistry.Accuracy], 9);
        Assert.Equal(expected.AreaUnderRocCurve, ours[MetricRegistry.Auc], 6);
        Assert.Equal(expected.PositivePrecision, ours[MetricRegistry.Precision], 9);
        Assert.Equal(expected.PositiveRecall, ours[MetricRegistry.Recall], 9);
        Assert.Equal(expected.F1Score, ours[MetricRegistry.F1], 9);
        // ML.NET reports binary log-loss in bits; ours is in nats.
        Assert.Equal(expected.LogLoss, ours[MetricRegistry.LogLoss] / Math.Log(2), 4);
        Assert.Equal(expected.AreaUnderPrecisionRecallCurve, ours[MetricRegistry.PrAuc], 2);
    }

    [Fact]
    public void Multiclass_metrics_agree_with_ml_net()
    {
        var random = new Random(9);
        var rows = Enumerable.Range(0, 300).Select(_ =>
        {
            var label = (uint)random.Next(3);
            var raw = Enumerable.Range(0, 3).Select(k => (float)(random.NextDouble() + (k == label ? 0.6 : 0))).ToArray();
            var sum = raw.Sum();
            var score = raw.Select(v => v / sum).ToArray();
            return new MulticlassRow { Label = label, Score = score, PredictedLabel = (uint)Array.IndexOf(score, score.Max()) };
        }).ToList();
        var ml = new MLContext(1);
        var expected = ml.MulticlassClassification.Evaluate(ml.Data.LoadFromEnumerable(rows));
        string[] classes = ["a", "b", "c"];

        var ours = ModelEvaluator.EvaluateClassification(TaskKind.Multiclass, classes, rows.Select(r => classes[r.Label]).ToList(),
            Predictions(TaskKind.Multiclass, classes, rows.SelectMany(r => r.Score).ToArray()));

        Assert.True(expected.MicroAccuracy > 0.5, $"ML.NET micro accuracy {expected.MicroAccuracy}: the test rows are mis-keyed");
        Assert.Equal(expected.MicroAccuracy, ours[MetricRegistry.MicroAccuracy], 9);
        Assert.Equal(expected.MacroAccuracy, ours[MetricRegistry.MacroAccuracy], 9);
        Assert.Equal(expected.LogLoss, ours[MetricRegistry.LogLoss], 4);
        Assert.Equal(expected.ConfusionMatrix.Counts.Select(r => r.Select(v => (long)v).ToArray()).ToArray(), ours.Confusion!.Counts);
    }

    [Fact]
    public void Regression_metrics_agree_with_ml_net()
    {
        var random = new Random(3);
        var rows = Enumerable.Range(0, 200).Select(i => new RegressionRow { Label = i * 0.5f, Score = (i * 0.5f) + (float)((random.NextDouble() - 0.5) * 10) }).ToList();
        var ml = new MLContext(1);
        var expected = ml.Regression.Evaluate(ml.Data.LoadFromEnumerable(rows));

        var ours = ModelEvaluator.EvaluateRegression(rows.Select(r => (double)r.Label).ToList(),
            new ModelPredictions(TaskKind.Regression, null, null, null, rows.Select(r => r.Score).ToArray()));

        Assert.Equal(expected.RootMeanSquaredError, ours[MetricRegistry.Rmse], 4);
        Assert.Equal(expected.MeanAbsoluteError, ours[MetricRegistry.Mae], 4);
        Assert.Equal(expected.RSquared, ours[MetricRegistry.R2], 5);
    }

    [Fact]
    public void The_registry_knows_each_metric_direction_and_task_defaults()
    {
        Assert.True(MetricRegistry.HigherIsBetter("auc"));
        Assert.True(MetricRegistry.HigherIsBetter("macroAccuracy"));
        Assert.False(MetricRegistry.HigherIsBetter("rmse"));
        Assert.False(MetricRegistry.HigherIsBetter("logLoss"));
        Assert.Equal("auc", MetricRegistry.DefaultFor(TaskKind.Binary));
        Assert.Equal("macroAccuracy", MetricRegistry.DefaultFor(TaskKind.Multiclass));
        Assert.Equal("rmse", MetricRegistry.DefaultFor(TaskKind.Regression));
        Assert.True(MetricRegistry.Beats("rmse", 1.0, 1.5, 0.2));
        Assert.False(MetricRegistry.Beats("auc", 0.80, 0.79, 0.02));
        var error = Assert.Throws<ArgumentException>(() => MetricRegistry.Get("accuracyy"));
        Assert.Contains("accuracyy", error.Message, StringComparison.Ordinal);
    }

    private static ModelPredictions BinaryPredictions(float[] positive) =>
        Predictions(TaskKind.Binary, Binary, positive.SelectMany(p => new[] { 1 - p, p }).ToArray());

    private static ModelPredictions Predictions(TaskKind task, string[] classes, float[] probabilities)
    {
        var rows = probabilities.Length / classes.Length;
        var labels = Enumerable.Range(0, rows).Select(r =>
        {
            var span = probabilities.AsSpan(r * classes.Length, classes.Length);
            var best = 0;
            for (var c = 1; c < span.Length; c++)
            {
                best = span[c] > span[best] ? c : best;
            }

            return classes[best];
        }).ToArray();
        return new ModelPredictions(task, classes, labels, probabilities, null);
    }

    private sealed class BinaryRow
    {
        public bool Label { get; set; }

        public float Score { get; set; }

        public float Probability { get; set; }

        public bool PredictedLabel { get; set; }
    }

    private sealed class MulticlassRow
    {
        [KeyType(3)]
        public uint Label { get; set; }

        [VectorType(3)]
        public float[] Score { get; set; } = [];

        [KeyType(3)]
        public uint PredictedLabel { get; set; }
    }

    private sealed class RegressionRow
    {
        public float Label { get; set; }

        public float Score { get; set; }
    }
}
