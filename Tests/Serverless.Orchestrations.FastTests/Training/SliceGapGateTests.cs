using Serverless.Domain.Models;
using Serverless.Domain.Projects;
using Serverless.ML.Evaluation;
using Serverless.Orchestrations.Training;
using Xunit;

namespace Serverless.Orchestrations.FastTests.Training;

/// <summary>The <c>gates.maxSliceGap</c> verdicts of <see cref="PromotionGates"/> (pure logic).</summary>
public sealed class SliceGapGateTests
{
    private static readonly ModelEvaluation Whole = new(new Dictionary<string, double> { ["auc"] = 0.8 }, 100, 0);

    private static SliceValueMetrics Slice(string value, double? auc) =>
        new(value, 10, auc is double a ? new Dictionary<string, double> { ["auc"] = a, ["accuracy"] = 0.7 } : new Dictionary<string, double> { ["accuracy"] = 0.7 });

    [Fact]
    public void A_gap_above_the_limit_fails_naming_the_column_and_the_best_and_worst_slices()
    {
        var gates = PromotionGates.Evaluate(new GateSpec { MaxSliceGap = new Dictionary<string, double> { ["auc"] = 0.05 }, MustBeatProductionBy = null }, MetricRegistry.Get("auc"), Whole, null, null,
            [new SliceMetrics("sex", [Slice("F", 0.81), Slice("M", 0.79)]), new SliceMetrics("region", [Slice("east", 0.6), Slice("north", 0.9), Slice("south", 0.85)])]);

        var sex = Assert.Single(gates, g => g.Gate == "maxSliceGap.auc.sex");
        Assert.True(sex.Passed, sex.Description);
        var region = Assert.Single(gates, g => g.Gate == "maxSliceGap.auc.region");
        Assert.False(region.Passed);
        Assert.Equal(0.3, region.Actual!.Value, 9);
        Assert.Equal("auc gap across 'region' slices 0.3 (best 'north' 0.9, worst 'east' 0.6) <= 0.05", region.Description);
    }

    [Fact]
    public void Slices_without_the_metric_are_left_out_and_one_measured_slice_has_no_gap()
    {
        var gates = PromotionGates.Evaluate(new GateSpec { MaxSliceGap = new Dictionary<string, double> { ["auc"] = 0.05 } }, MetricRegistry.Get("auc"), Whole, null, null,
            [new SliceMetrics("region", [Slice("east", null), Slice("north", 0.9)])]);

        var gate = Assert.Single(gates, g => g.Gate.StartsWith("maxSliceGap", StringComparison.Ordinal));
        Assert.True(gate.Passed, gate.Description);
    }

    [Fact]
    public void A_gap_gate_without_slices_or_for_a_metric_not_computed_fails()
    {
        var spec = new GateSpec { MaxSliceGap = new Dictionary<string, double> { ["rmse"] = 0.1 } };

        Assert.False(Assert.Single(PromotionGates.Evaluate(spec, MetricRegistry.Get("auc"), Whole, null, null, [])).Passed);
        var notComputed = Assert.Single(PromotionGates.Evaluate(spec, MetricRegistry.Get("auc"), Whole, null, null, [new SliceMetrics("sex", [Slice("F", 0.8)])]));
        Assert.False(notComputed.Passed);
        Assert.Contains("not computed", notComputed.Description, StringComparison.Ordinal);
    }

    [Fact]
    public void Without_measured_slices_no_gap_gate_is_judged()
    {
        var gates = PromotionGates.Evaluate(new GateSpec { MaxSliceGap = new Dictionary<string, double> { ["auc"] = 0.05 } }, MetricRegistry.Get("auc"), Whole, null, null);

        Assert.DoesNotContain(gates, g => g.Gate.StartsWith("maxSliceGap", StringComparison.Ordinal));
    }
}
