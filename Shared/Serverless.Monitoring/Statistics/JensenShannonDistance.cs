namespace Serverless.Monitoring.Statistics;

/// <summary>
/// The Jensen-Shannon distance in base 2: √(½ KL(p‖m) + ½ KL(q‖m)) with m = (p+q)/2, between two aligned
/// frequency vectors (normalised here to sum to 1). It lies in [0, 1]: 0 for identical distributions,
/// 1 for distributions with disjoint support. As scipy's <c>jensenshannon(p, q, base=2)</c>.
/// </summary>
public static class JensenShannonDistance
{
    /// <summary>The frequency an empty category gets in drift checks, as in Evidently's binning.</summary>
    public const double EmptyBinFrequency = 0.0001;

    /// <summary>The distance between two aligned frequency (or count) vectors; zeros are allowed.</summary>
    public static double Compute(IReadOnlyList<double> p, IReadOnlyList<double> q)
    {
        ArgumentNullException.ThrowIfNull(p);
        ArgumentNullException.ThrowIfNull(q);
        if (p.Count != q.Count || p.Count == 0)
        {
            throw new ArgumentException($"The Jensen-Shannon distance needs two non-empty vectors of one length; got {p.Count} and {q.Count}.");
        }

        var pSum = Total(p, nameof(p));
        var qSum = Total(q, nameof(q));
        var divergence = 0.0;
        for (var k = 0; k < p.Count; k++)
        {
            var pk = p[k] / pSum;
            var qk = q[k] / qSum;
            var mk = (pk + qk) / 2;
            divergence += (0.5 * Term(pk, mk)) + (0.5 * Term(qk, mk));
        }

        return Math.Sqrt(Math.Clamp(divergence, 0, 1));
    }

    /// <summary>The distance between two category count tables, empty categories at <see cref="EmptyBinFrequency"/>.</summary>
    public static double Compute(IReadOnlyDictionary<string, long> reference, IReadOnlyDictionary<string, long> current)
    {
        var (p, q) = CategoryCounts.Align(reference, current).Proportions(EmptyBinFrequency);
        return Compute(p, q);
    }

    private static double Term(double x, double m) => x > 0 ? x * Math.Log2(x / m) : 0;

    private static double Total(IReadOnlyList<double> values, string name)
    {
        var sum = 0.0;
        for (var k = 0; k < values.Count; k++)
        {
            sum += values[k] >= 0 && double.IsFinite(values[k])
                ? values[k]
                : throw new ArgumentException($"Frequency {k} is {values[k]}; frequencies must be finite and non-negative.", name);
        }

        return sum > 0 ? sum : throw new ArgumentException("The frequencies sum to zero.", name);
    }
}
