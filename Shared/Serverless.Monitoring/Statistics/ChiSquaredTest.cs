namespace Serverless.Monitoring.Statistics;

/// <summary>
/// Pearson's chi-squared goodness-of-fit test of the current category counts against the frequencies expected
/// from the reference: χ² = Σ (O_k - E_k)² / E_k with E_k = p_k · n_current and k-1 degrees of freedom;
/// p = Q((k-1)/2, χ²/2), the regularized upper incomplete gamma function (as Evidently's <c>chisquare</c> test).
/// </summary>
public static class ChiSquaredTest
{
    /// <summary>
    /// The pseudo-count a category absent from the reference receives, so that a category seen only in the
    /// current data yields a large but finite statistic (an unseen category is drift, never a division by zero).
    /// </summary>
    public const double UnseenCategoryPseudoCount = 0.5;

    /// <summary>The p-value of a χ² statistic with the given degrees of freedom: Q(df/2, χ²/2).</summary>
    public static double PValue(double chiSquared, int degreesOfFreedom)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(degreesOfFreedom, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(chiSquared);
        return SpecialFunctions.RegularizedGammaQ(degreesOfFreedom / 2.0, chiSquared / 2);
    }

    /// <summary>Goodness of fit of observed counts against expected proportions (normalised here to sum to 1).</summary>
    public static StatisticalTestResult GoodnessOfFit(IReadOnlyList<long> observed, IReadOnlyList<double> expectedProportions)
    {
        ArgumentNullException.ThrowIfNull(observed);
        ArgumentNullException.ThrowIfNull(expectedProportions);
        if (observed.Count != expectedProportions.Count)
        {
            throw new ArgumentException($"There are {observed.Count} observed counts but {expectedProportions.Count} expected proportions.");
        }

        if (observed.Count < 2)
        {
            return new StatisticalTestResult(0, 1);
        }

        var total = 0L;
        var proportionSum = 0.0;
        for (var k = 0; k < observed.Count; k++)
        {
            ArgumentOutOfRangeException.ThrowIfNegative(observed[k]);
            if (!(expectedProportions[k] > 0))
            {
                throw new ArgumentException($"The expected proportion of category {k} is {expectedProportions[k]}; it must be positive.", nameof(expectedProportions));
            }

            total += observed[k];
            proportionSum += expectedProportions[k];
        }

        var statistic = 0.0;
        for (var k = 0; k < observed.Count; k++)
        {
            var expected = expectedProportions[k] / proportionSum * total;
            var difference = observed[k] - expected;
            statistic += difference * difference / expected;
        }

        return new StatisticalTestResult(statistic, PValue(statistic, observed.Count - 1));
    }

    /// <summary>The test on category counts, aligned over the union of categories of both sides.</summary>
    public static StatisticalTestResult Compute(IReadOnlyDictionary<string, long> reference, IReadOnlyDictionary<string, long> current)
    {
        var aligned = CategoryCounts.Align(reference, current);
        var proportions = aligned.Reference.Select(count => count > 0 ? count : UnseenCategoryPseudoCount).ToArray();
        return GoodnessOfFit(aligned.Current, proportions);
    }
}
