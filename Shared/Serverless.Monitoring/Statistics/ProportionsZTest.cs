namespace Serverless.Monitoring.Statistics;

/// <summary>
/// The two-proportions z-test for a binary feature: z = (p_ref - p_cur) / √(p̂(1-p̂)(1/n_ref + 1/n_cur)) with the
/// pooled proportion p̂; two-sided p-value = erfc(|z|/√2). When both samples hold only one and the same value
/// (p̂ is 0 or 1) the proportions are identical: z = 0, p = 1.
/// </summary>
public static class ProportionsZTest
{
    /// <summary>Tests the share of one category ("successes") in the reference against the current sample.</summary>
    public static StatisticalTestResult Compute(long referenceSuccesses, long referenceTotal, long currentSuccesses, long currentTotal)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(referenceTotal, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(currentTotal, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(referenceSuccesses);
        ArgumentOutOfRangeException.ThrowIfNegative(currentSuccesses);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(referenceSuccesses, referenceTotal);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(currentSuccesses, currentTotal);

        var p1 = (double)referenceSuccesses / referenceTotal;
        var p2 = (double)currentSuccesses / currentTotal;
        var pooled = (double)(referenceSuccesses + currentSuccesses) / (referenceTotal + currentTotal);
        var variance = pooled * (1 - pooled) * ((1.0 / referenceTotal) + (1.0 / currentTotal));
        if (variance <= 0)
        {
            return new StatisticalTestResult(0, 1);
        }

        var z = (p1 - p2) / Math.Sqrt(variance);
        return new StatisticalTestResult(z, SpecialFunctions.Erfc(Math.Abs(z) / Math.Sqrt(2)));
    }

    /// <summary>The test on the counts of a feature with (at most) two categories.</summary>
    public static StatisticalTestResult Compute(IReadOnlyDictionary<string, long> reference, IReadOnlyDictionary<string, long> current)
    {
        var aligned = CategoryCounts.Align(reference, current);
        if (aligned.Categories.Count > 2)
        {
            throw new ArgumentException($"The proportions z-test needs at most two categories; found {aligned.Categories.Count}: {string.Join(", ", aligned.Categories)}.");
        }

        return Compute(aligned.Reference[0], aligned.Reference.Sum(), aligned.Current[0], aligned.Current.Sum());
    }
}
