using System.Text.Json;
using Serverless.Monitoring.Performance;

namespace Serverless.Monitoring.Tests.Performance;

public sealed class PerformanceWindowTests
{
    private static readonly MonitoringWindow Window = new(DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch.AddHours(1));
    private static readonly PerformanceOptions FiveRows = new() { MinimumLabelledRows = 5 };

    // predicted a a b b c / actual a b b b c, plus one unlabelled row.
    // accuracy 4/5; F1: a = 2·1/(2+1+0) = 2/3, b = 2·2/(4+0+1) = 4/5, c = 1 → macro (2/3 + 4/5 + 1)/3.
    private static readonly LabelledClass[] Classified =
    [
        new("a", "a"), new("a", "b"), new("b", "b"), new("b", "b"), new("c", "c"), new("c", null),
    ];

    [Fact]
    public void Classification_metrics_match_hand_computed_values()
    {
        var report = PerformanceWindow.EvaluateClassification("m", "1", Window, Classified, new PerformanceBaseline(PerformanceMetric.Accuracy, 0.85), FiveRows);
        Assert.Equal(5, report.LabelledRows);
        Assert.Equal(0.8, report.LiveMetrics[PerformanceMetric.Accuracy], 12);
        Assert.Equal(((2.0 / 3) + 0.8 + 1) / 3, report.LiveMetrics[PerformanceMetric.MacroF1], 12);
        Assert.Equal(0.8, report.Live!.Value, 12);
        Assert.Equal((0.85 - 0.8) / 0.85, report.RelativeChange!.Value, 12); // 5.9% worse: within 10%
        Assert.Equal(PerformanceVerdict.Ok, report.Verdict);
    }

    [Fact]
    public void Classification_worse_by_more_than_the_threshold_is_degraded()
    {
        var report = PerformanceWindow.EvaluateClassification("m", "1", Window, Classified, new PerformanceBaseline(PerformanceMetric.MacroF1, 0.95), FiveRows);
        Assert.Equal(PerformanceVerdict.Degraded, report.Verdict);
        Assert.True(report.RelativeChange > 0.10);

        var lenient = PerformanceWindow.EvaluateClassification("m", "1", Window, Classified, new PerformanceBaseline(PerformanceMetric.MacroF1, 0.95),
            new PerformanceOptions { MinimumLabelledRows = 5, RelativeDegradation = 0.2 });
        Assert.Equal(PerformanceVerdict.Ok, lenient.Verdict);
    }

    [Fact]
    public void Regression_metrics_match_hand_computed_values()
    {
        // errors 1, -1, 2, 0: MAE = 1, RMSE = √(6/4).
        LabelledValue[] values = [new(11, 10), new(19, 20), new(32, 30), new(5, 5), new(7, double.NaN)];
        var ok = PerformanceWindow.EvaluateRegression("m", "1", Window, values, new PerformanceBaseline(PerformanceMetric.Rmse, 1.2), new PerformanceOptions { MinimumLabelledRows = 4 });
        Assert.Equal(4, ok.LabelledRows);
        Assert.Equal(1, ok.LiveMetrics[PerformanceMetric.Mae], 12);
        Assert.Equal(Math.Sqrt(1.5), ok.LiveMetrics[PerformanceMetric.Rmse], 12);
        Assert.Equal(PerformanceVerdict.Ok, ok.Verdict);

        var degraded = PerformanceWindow.EvaluateRegression("m", "1", Window, values, new PerformanceBaseline(PerformanceMetric.Mae, 0.8), new PerformanceOptions { MinimumLabelledRows = 4 });
        Assert.Equal(0.25, degraded.RelativeChange!.Value, 12);
        Assert.Equal(PerformanceVerdict.Degraded, degraded.Verdict);

        var better = PerformanceWindow.EvaluateRegression("m", "1", Window, values, new PerformanceBaseline(PerformanceMetric.Mae, 2), new PerformanceOptions { MinimumLabelledRows = 4 });
        Assert.Equal(-0.5, better.RelativeChange!.Value, 12);
        Assert.Equal(PerformanceVerdict.Ok, better.Verdict);
    }

    [Fact]
    public void Too_few_labelled_rows_give_insufficient_data()
    {
        var report = PerformanceWindow.EvaluateClassification("m", "1", Window, Classified, new PerformanceBaseline(PerformanceMetric.Accuracy, 0.99), new PerformanceOptions());
        Assert.Equal(PerformanceVerdict.InsufficientData, report.Verdict);
        Assert.Null(report.RelativeChange);

        var none = PerformanceWindow.EvaluateRegression("m", "1", Window, [new LabelledValue(1, double.NaN)], new PerformanceBaseline(PerformanceMetric.Rmse, 1), new PerformanceOptions());
        Assert.Equal(PerformanceVerdict.InsufficientData, none.Verdict);
        Assert.Null(none.Live);
        Assert.Empty(none.LiveMetrics);
    }

    [Fact]
    public void Wrong_baselines_are_rejected()
    {
        Assert.Throws<ArgumentException>(() => PerformanceWindow.EvaluateClassification("m", "1", Window, Classified, new PerformanceBaseline(PerformanceMetric.Rmse, 1), FiveRows));
        Assert.Throws<ArgumentException>(() => PerformanceWindow.EvaluateRegression("m", "1", Window, [], new PerformanceBaseline(PerformanceMetric.Accuracy, 1), FiveRows));
    }

    [Fact]
    public void Report_serializes_with_readable_metric_names()
    {
        var report = PerformanceWindow.EvaluateClassification("m", "1", Window, Classified, new PerformanceBaseline(PerformanceMetric.Accuracy, 0.95), FiveRows);
        var json = JsonSerializer.Serialize(report, JsonSerializerOptions.Web);
        Assert.Contains("\"verdict\":\"Degraded\"", json, StringComparison.Ordinal);
        Assert.Contains("\"MacroF1\":", json, StringComparison.Ordinal);
        Assert.Contains("\"metric\":\"Accuracy\"", json, StringComparison.Ordinal);
    }
}
