using Serverless.Monitoring.Statistics;

namespace Serverless.Monitoring.Tests.Statistics;

public sealed class DistanceTests
{
    [Fact]
    public void Wasserstein_of_a_shifted_sample_is_the_shift()
    {
        var reference = Gaussian.Sample(new Random(1), 400);
        var shifted = reference.Select(v => v + 2.5).ToArray();
        Assert.Equal(2.5, WassersteinDistance.Compute(reference, shifted), 10);
    }

    [Fact]
    public void Wasserstein_matches_scipy_examples()
    {
        Assert.Equal(5.0, WassersteinDistance.Compute([0, 1, 3], [5, 6, 8]), 12); // scipy documentation
        Assert.Equal(0, WassersteinDistance.Compute([0, 1], [1, 0]), 12);
        // F_u - F_v: 1/2 on [0,1), 0 on [1,2), 1/2 on [2,4) → 0.5 + 1 = 1.5
        Assert.Equal(1.5, WassersteinDistance.Compute([0, 2], [1, 4]), 12);
    }

    [Fact]
    public void Normalised_wasserstein_divides_by_the_reference_population_standard_deviation()
    {
        // Reference [0, 2] has mean 1 and population σ 1; the shift by 1 gives W = 1.
        Assert.Equal(1, WassersteinDistance.Normalised([0, 2], [1, 3]), 12);
        Assert.Equal(0.5 / 4, WassersteinDistance.Normalised([-4, 4], [-3.5, 4.5]), 12);
        // A constant reference is floored at σ = 0.001.
        Assert.Equal(1 / 0.001, WassersteinDistance.Normalised([5, 5], [6, 6]), 6);
    }

    [Fact]
    public void Jensen_shannon_is_0_for_identical_and_1_for_disjoint_distributions()
    {
        Assert.Equal(0, JensenShannonDistance.Compute([0.2, 0.3, 0.5], [2, 3, 5]), 12);
        Assert.Equal(1, JensenShannonDistance.Compute([1, 0, 0], [0, 1, 0]), 12);
        Assert.Equal(1, JensenShannonDistance.Compute([3, 1, 0, 0], [0, 0, 2, 5]), 12);
    }

    [Fact]
    public void Jensen_shannon_matches_a_hand_computed_value()
    {
        // m = (0.75, 0.25); KL(p‖m) = log2(4/3); KL(q‖m) = ½log2(2/3) + ½log2(2); JS = √(½(KL + KL)).
        var expected = Math.Sqrt(0.5 * (Math.Log2(4.0 / 3) + (0.5 * Math.Log2(2.0 / 3)) + 0.5));
        Assert.Equal(expected, JensenShannonDistance.Compute([1, 0], [0.5, 0.5]), 12);
        Assert.Equal(0.55792304, expected, 7);
    }

    [Fact]
    public void Jensen_shannon_of_categories_uses_a_small_epsilon_for_empty_ones()
    {
        var distance = JensenShannonDistance.Compute(
            new Dictionary<string, long> { ["a"] = 10 },
            new Dictionary<string, long> { ["b"] = 10 });
        Assert.InRange(distance, 0.99, 1.0);
        Assert.Equal(0, JensenShannonDistance.Compute(
            new Dictionary<string, long> { ["a"] = 10, ["b"] = 30 },
            new Dictionary<string, long> { ["a"] = 1, ["b"] = 3 }), 12);
    }

    [Fact]
    public void Psi_of_aligned_frequencies_matches_the_formula()
    {
        // (0.25 - 0.5)·ln(0.25/0.5) + (0.75 - 0.5)·ln(0.75/0.5) = 0.25·ln 2 + 0.25·ln 1.5 = 0.2746531
        Assert.Equal((0.25 * Math.Log(2)) + (0.25 * Math.Log(1.5)), PopulationStabilityIndex.Compute([0.5, 0.5], [0.25, 0.75]), 12);
        Assert.Equal(0, PopulationStabilityIndex.Compute([0.1, 0.9], [0.1, 0.9]), 12);
    }

    [Fact]
    public void Psi_bins_numeric_values_at_reference_deciles()
    {
        var reference = Enumerable.Range(1, 100).Select(i => (double)i).ToArray();
        Assert.Equal(new double[] { 10, 20, 30, 40, 50, 60, 70, 80, 90 }, PopulationStabilityIndex.QuantileEdges(reference, 10));
        Assert.Equal(0, PopulationStabilityIndex.Compute(reference, reference, 10), 12);

        // Shift by 10: the first decile (≤ 10) empties (→ 0.0001), the last (> 90) doubles to 0.2.
        var shifted = reference.Select(v => v + 10).ToArray();
        var expected = ((0.0001 - 0.1) * Math.Log(0.0001 / 0.1)) + ((0.2 - 0.1) * Math.Log(2));
        Assert.Equal(expected, PopulationStabilityIndex.Compute(reference, shifted, 10), 12);
    }

    [Fact]
    public void Proportions_z_test_matches_a_hand_computed_value()
    {
        // 50/100 vs 30/100: pooled 0.4, se = √(0.24 · 0.02), z = 0.2 / se = 2.8867513; two-sided p = 0.0038924.
        var result = ProportionsZTest.Compute(50, 100, 30, 100);
        Assert.Equal(0.2 / Math.Sqrt(0.24 * 0.02), result.Statistic, 12);
        Assert.Equal(0.0038924, result.PValue!.Value, 6);
        Assert.Equal(2 * (1 - SpecialFunctions.NormalCdf(result.Statistic)), result.PValue!.Value, 12);
    }

    [Fact]
    public void Proportions_z_test_of_one_shared_value_has_p_1()
    {
        var result = ProportionsZTest.Compute(
            new Dictionary<string, long> { ["yes"] = 40 },
            new Dictionary<string, long> { ["yes"] = 12 });
        Assert.Equal(1, result.PValue);
    }
}
