using Serverless.Domain.Datasets;
using Serverless.Domain.Models;
using Serverless.ML.Evaluation;
using Serverless.Onnx;
using Xunit;

namespace Serverless.ML.Tests;

public sealed class SliceEvaluatorTests
{
    private static readonly string[] Classes = ["neg", "pos"];

    [Fact]
    public void Each_value_is_measured_on_its_own_rows_and_undefined_metrics_are_left_out()
    {
        // Region a: ranked perfectly; region b: ranked backwards; region c (one class only): AUC undefined; one row without a region.
        var frame = new TabularFrame([
            new TextColumn("region", ColumnKind.Categorical, ["a", "a", "a", "a", "b", "b", "b", "b", "c", "c", null]),
            new NumericColumn("band", [1, 1, 2, 2, 1, 1, 2, 2, 1, 1, 1]),
            new TextColumn("y", ColumnKind.Categorical, ["neg", "neg", "pos", "pos", "neg", "neg", "pos", "pos", "pos", "pos", "neg"]),
        ]);
        float[] positive = [0.1f, 0.2f, 0.8f, 0.9f, 0.9f, 0.8f, 0.2f, 0.1f, 0.7f, 0.6f, 0.3f];
        var predictions = new ModelPredictions(TaskKind.Binary, Classes, positive.Select(p => p > 0.5f ? "pos" : "neg").ToArray(),
            positive.SelectMany(p => new[] { 1 - p, p }).ToArray(), null);

        var slices = SliceEvaluator.Evaluate(TaskKind.Binary, Classes, frame, "y", predictions, ["region", "band"]);

        Assert.Equal(["region", "band"], slices.Select(s => s.Column));
        var region = slices[0].Values;
        Assert.Equal(["(missing)", "a", "b", "c"], region.Select(v => v.Value));
        Assert.Equal([1L, 4, 4, 2], region.Select(v => v.Rows));
        Assert.Equal(1.0, region[1].Metrics["auc"]);
        Assert.Equal(0.0, region[2].Metrics["auc"]);
        Assert.False(region[3].Metrics.ContainsKey("auc"));
        Assert.Equal(1.0, region[3].Metrics["accuracy"]);
        Assert.Equal(["1", "2"], slices[1].Values.Select(v => v.Value));
    }

    [Fact]
    public void A_slice_column_missing_from_the_data_is_bad_input_naming_it()
    {
        var frame = new TabularFrame([new NumericColumn("y", [1, 2])]);
        var predictions = new ModelPredictions(TaskKind.Regression, null, null, null, [1f, 2f]);

        var error = Assert.Throws<SliceColumnException>(() => SliceEvaluator.Evaluate(TaskKind.Regression, [], frame, "y", predictions, ["sex"]));

        Assert.Contains("slices: column 'sex' is not in the test data", error.Message, StringComparison.Ordinal);
    }
}
