using System.Diagnostics;
using Serverless.Domain.Datasets;
using Serverless.Onnx.Tests.Fixtures;
using Xunit;
using Xunit.Abstractions;

namespace Serverless.Onnx.Tests;

/// <summary>A quick measure of single-row in-process scoring (reported, not asserted: the machine is shared).</summary>
public sealed class ScoringThroughputTests(ITestOutputHelper output)
{
    [Fact]
    public void Single_row_scoring_rate_is_reported()
    {
        using var model = OnnxModel.Load(TestModels.Churn());
        var frame = new TabularFrame(
        [
            new NumericColumn("age", [42]),
            new NumericColumn("active", ColumnKind.Boolean, [1]),
            new TextColumn("plan", ColumnKind.Categorical, ["pro"]),
        ]);
        for (var i = 0; i < 200; i++)
        {
            model.Score(frame);
        }

        const int calls = 5000;
        var watch = Stopwatch.StartNew();
        string? label = null;
        for (var i = 0; i < calls; i++)
        {
            label = model.Score(frame).Labels![0];
        }

        watch.Stop();
        output.WriteLine($"Single-row Score: {calls / watch.Elapsed.TotalSeconds:F0} calls/s ({watch.Elapsed.TotalMicroseconds / calls:F1} µs per call)");
        Assert.Equal(TestModels.ExpectedChurnProbability(42, 1, "pro") > 0.5 ? "yes" : "no", label);
    }
}
