using Serverless.Monitoring.Statistics;

namespace Serverless.Monitoring.Tests.Statistics;

public sealed class KolmogorovSmirnovTestTests
{
    [Fact]
    public void Separated_samples_of_three_have_D_1_and_p_2_over_20()
    {
        // Only the 2 of the C(6,3) = 20 equally likely orderings that fully separate the samples reach D = 1.
        var result = KolmogorovSmirnovTest.Compute([1, 2, 3], [4, 5, 6]);
        Assert.Equal(1, result.Statistic, 12);
        Assert.Equal(0.1, result.PValue!.Value, 12);
    }

    [Fact]
    public void Separated_samples_of_five_and_seven_have_p_2_over_792()
    {
        var result = KolmogorovSmirnovTest.Compute([5, 4, 3, 2, 1], [6, 7, 8, 9, 10, 11, 12]);
        Assert.Equal(1, result.Statistic, 12);
        Assert.Equal(2.0 / 792, result.PValue!.Value, 12);
    }

    [Fact]
    public void Partial_separation_matches_the_path_count()
    {
        // Merged order a a b b a b: after two reference values D = 2/3. Of the 20 orderings, the 8 built from
        // AB/BA pairs never differ by 2, so P(D >= 2/3) = 12/20 (scipy: ks_2samp([1,2,5],[3,4,6]) -> 0.667, 0.6).
        var result = KolmogorovSmirnovTest.Compute([1, 2, 5], [3, 4, 6]);
        Assert.Equal(2.0 / 3, result.Statistic, 12);
        Assert.Equal(0.6, result.PValue!.Value, 12);
    }

    [Fact]
    public void Identical_samples_have_D_0_and_p_1()
    {
        var result = KolmogorovSmirnovTest.Compute([1, 2, 3, 4], [4, 3, 2, 1]);
        Assert.Equal(0, result.Statistic);
        Assert.Equal(1, result.PValue);
    }

    [Fact]
    public void Ties_across_samples_are_handled_between_distinct_values()
    {
        // F_ref jumps to 1 at x = 1; F_cur is 0.5 at 1 and 1 at 2: D = 0.5, not 1.
        var result = KolmogorovSmirnovTest.Compute([1, 1], [1, 2]);
        Assert.Equal(0.5, result.Statistic, 12);
    }

    [Theory]
    [InlineData(1.2238, 0.10)]
    [InlineData(1.3581, 0.05)]
    [InlineData(1.6276, 0.01)]
    [InlineData(0.5, 0.96394524)]
    [InlineData(1.0, 0.26999967)]
    public void Kolmogorov_survival_matches_the_table(double lambda, double expected) =>
        Assert.Equal(expected, KolmogorovSmirnovTest.KolmogorovSurvival(lambda), 1e-4);

    [Fact]
    public void Both_series_agree_where_they_meet() =>
        Assert.Equal(KolmogorovSmirnovTest.KolmogorovSurvival(1.1799999), KolmogorovSmirnovTest.KolmogorovSurvival(1.18), 1e-6);

    [Fact]
    public void Exact_and_asymptotic_p_values_agree_for_large_samples()
    {
        var random = new Random(7);
        var reference = Enumerable.Range(0, 3000).Select(_ => Gaussian.Next(random)).ToArray();
        var current = Enumerable.Range(0, 3000).Select(_ => Gaussian.Next(random) + 0.05).ToArray();
        var exact = KolmogorovSmirnovTest.Compute(reference, current); // 9e6 <= ExactLimit: exact

        var large = Enumerable.Range(0, 4000).Select(_ => Gaussian.Next(random)).ToArray();
        var asymptotic = KolmogorovSmirnovTest.Compute(large, current); // 1.2e7 > ExactLimit: asymptotic
        var expectedAsymptotic = KolmogorovSmirnovTest.KolmogorovSurvival(
            (Math.Sqrt(4000.0 * 3000 / 7000) + 0.12 + (0.11 / Math.Sqrt(4000.0 * 3000 / 7000))) * asymptotic.Statistic);
        Assert.Equal(expectedAsymptotic, asymptotic.PValue!.Value, 12);

        var en = Math.Sqrt(3000.0 * 3000 / 6000);
        var approximation = KolmogorovSmirnovTest.KolmogorovSurvival((en + 0.12 + (0.11 / en)) * exact.Statistic);
        Assert.InRange(exact.PValue!.Value, approximation - 0.02, approximation + 0.02);
    }

    [Fact]
    public void Missing_values_are_rejected_with_their_index()
    {
        var error = Assert.Throws<ArgumentException>(() => KolmogorovSmirnovTest.Compute([1, double.NaN], [1, 2]));
        Assert.Contains("index 1", error.Message, StringComparison.Ordinal);
    }
}
