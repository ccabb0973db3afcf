using Serverless.Monitoring.Statistics;

namespace Serverless.Monitoring.Tests.Statistics;

public sealed class ChiSquaredTestTests
{
    [Theory]
    [InlineData(3.841458820694124, 1)] // the 95% critical values of the chi-squared table
    [InlineData(5.991464547107979, 2)]
    [InlineData(7.814727903251178, 3)]
    [InlineData(18.307038053275146, 10)]
    public void Critical_values_have_p_005(double chiSquared, int degreesOfFreedom) =>
        Assert.Equal(0.05, ChiSquaredTest.PValue(chiSquared, degreesOfFreedom), 1e-9);

    [Fact]
    public void P_value_with_two_degrees_of_freedom_is_exp_of_minus_half_chi_squared() =>
        Assert.Equal(Math.Exp(-4.2 / 2), ChiSquaredTest.PValue(4.2, 2), 1e-14);

    [Fact]
    public void Matches_scipy_chisquare_documentation_example_uniform()
    {
        // scipy.stats.chisquare([16, 18, 16, 14, 12, 12]) -> statistic 2.0, pvalue 0.84914503608460956
        var result = ChiSquaredTest.GoodnessOfFit([16, 18, 16, 14, 12, 12], [1, 1, 1, 1, 1, 1]);
        Assert.Equal(2.0, result.Statistic, 12);
        Assert.Equal(0.84914503608460956, result.PValue!.Value, 12);
    }

    [Fact]
    public void Matches_scipy_chisquare_documentation_example_with_expected_frequencies()
    {
        // scipy.stats.chisquare([16, 18, 16, 14, 12, 12], f_exp=[16, 16, 16, 16, 16, 8]) -> 3.5, 0.62338762774958223
        var result = ChiSquaredTest.GoodnessOfFit([16, 18, 16, 14, 12, 12], [16, 16, 16, 16, 16, 8]);
        Assert.Equal(3.5, result.Statistic, 12);
        Assert.Equal(0.62338762774958223, result.PValue!.Value, 12);
    }

    [Fact]
    public void Category_counts_are_scaled_to_the_current_size()
    {
        // Reference 50/50; current 30/70 of 100: expected 50/50, χ² = (20² + 20²)/50 = 16, df 1.
        var result = ChiSquaredTest.Compute(
            new Dictionary<string, long> { ["a"] = 500, ["b"] = 500 },
            new Dictionary<string, long> { ["a"] = 30, ["b"] = 70 });
        Assert.Equal(16, result.Statistic, 12);
        Assert.Equal(SpecialFunctions.Erfc(4 / Math.Sqrt(2)), result.PValue!.Value, 12); // χ²₁ = z²: p = erfc(4/√2)
    }

    [Fact]
    public void A_category_unseen_in_the_reference_is_strong_drift_with_a_finite_statistic()
    {
        var result = ChiSquaredTest.Compute(
            new Dictionary<string, long> { ["a"] = 600, ["b"] = 400 },
            new Dictionary<string, long> { ["a"] = 50, ["b"] = 30, ["c"] = 20 });
        Assert.True(double.IsFinite(result.Statistic));
        Assert.True(result.PValue < 1e-10);
    }
}
