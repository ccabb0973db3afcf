using Serverless.Monitoring.Statistics;

namespace Serverless.Monitoring.Tests.Statistics;

public sealed class SpecialFunctionsTests
{
    [Theory]
    [InlineData(1, 0)]
    [InlineData(5, 3.1780538303479458)] // ln 4! = ln 24
    [InlineData(0.5, 0.57236494292470008)] // ln √π
    [InlineData(10.5, 13.940625219403763)]
    [InlineData(0.1, 2.2527126517342059)]
    public void LogGamma_matches_known_values(double x, double expected) =>
        Assert.Equal(expected, SpecialFunctions.LogGamma(x), 1e-12);

    [Theory]
    [InlineData(0.1)]
    [InlineData(1)]
    [InlineData(2.5)]
    [InlineData(30)]
    public void P_with_a_equal_1_is_the_exponential_cdf(double x) =>
        Assert.Equal(1 - Math.Exp(-x), SpecialFunctions.RegularizedGammaP(1, x), 1e-13);

    [Theory]
    [InlineData(1, 0.5)]
    [InlineData(3, 2)] // Q(3,2) = 5 e^-2 = 0.6766764161830634
    [InlineData(4, 9)]
    [InlineData(10, 20)] // continued-fraction branch
    [InlineData(10, 3)] // series branch
    [InlineData(25, 24)]
    public void Q_with_integer_a_is_the_poisson_cdf(int a, double x)
    {
        // For integer a: Q(a, x) = e^{-x} Σ_{k<a} x^k / k!, the probability of fewer than a Poisson(x) events.
        var term = Math.Exp(-x);
        var sum = 0.0;
        for (var k = 0; k < a; k++)
        {
            sum += term;
            term *= x / (k + 1);
        }

        Assert.Equal(sum, SpecialFunctions.RegularizedGammaQ(a, x), 1e-12);
        Assert.Equal(1, SpecialFunctions.RegularizedGammaP(a, x) + SpecialFunctions.RegularizedGammaQ(a, x), 1e-14);
    }

    [Fact]
    public void Q_of_3_at_2_is_5_over_e_squared() =>
        Assert.Equal(0.6766764161830634, SpecialFunctions.RegularizedGammaQ(3, 2), 1e-14);

    [Theory]
    [InlineData(0, 1)]
    [InlineData(1, 0.15729920705028513)] // erfc(1) = 1 - erf(1), erf(1) = 0.8427007929497149
    [InlineData(3, 2.2090496998585441e-05)]
    [InlineData(-1, 1.8427007929497148)]
    [InlineData(0.5, 0.47950012218695348)]
    public void Erfc_matches_published_values(double x, double expected) =>
        Assert.Equal(expected, SpecialFunctions.Erfc(x), 1e-13);

    [Theory]
    [InlineData(0, 0.5)]
    [InlineData(1.959963984540054, 0.975)]
    [InlineData(-1.6448536269514729, 0.05)]
    [InlineData(1, 0.84134474606854293)]
    public void NormalCdf_matches_the_normal_table(double z, double expected) =>
        Assert.Equal(expected, SpecialFunctions.NormalCdf(z), 1e-12);

    [Fact]
    public void Invalid_arguments_are_rejected()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => SpecialFunctions.RegularizedGammaQ(0, 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => SpecialFunctions.RegularizedGammaP(1, -1));
        Assert.Throws<ArgumentOutOfRangeException>(() => SpecialFunctions.LogGamma(0));
    }
}
