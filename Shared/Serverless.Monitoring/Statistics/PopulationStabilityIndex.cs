namespace Serverless.Monitoring.Statistics;

/// <summary>
/// The population stability index: PSI = Σ (cur_k - ref_k) · ln(cur_k / ref_k) over bins k, with empty bins at a
/// frequency of 0.0001. Numeric features are binned at the reference's quantiles (deciles by default), so each
/// bin holds about the same share of the reference; categorical features use one bin per category.
/// Usual reading: below 0.1 no significant change, 0.1-0.2 a moderate change, 0.2 and above a significant shift.
/// </summary>
public static class PopulationStabilityIndex
{
    /// <summary>The frequency an empty bin gets, so the logarithm stays finite.</summary>
    public const double EmptyBinFrequency = 0.0001;

    /// <summary>The default number of quantile bins.</summary>
    public const int DefaultBins = 10;

    /// <summary>PSI of aligned frequency vectors (already proportions).</summary>
    public static double Compute(IReadOnlyList<double> reference, IReadOnlyList<double> current)
    {
        ArgumentNullException.ThrowIfNull(reference);
        ArgumentNullException.ThrowIfNull(current);
        if (reference.Count != current.Count)
        {
            throw new ArgumentException($"PSI needs aligned bins; got {reference.Count} reference and {current.Count} current frequencies.");
        }

        var psi = 0.0;
        for (var k = 0; k < reference.Count; k++)
        {
            var r = Math.Max(reference[k], EmptyBinFrequency);
            var c = Math.Max(current[k], EmptyBinFrequency);
            psi += (c - r) * Math.Log(c / r);
        }

        return psi;
    }

    /// <summary>PSI of a numeric feature, binned at the reference's quantiles.</summary>
    public static double Compute(IReadOnlyList<double> reference, IReadOnlyList<double> current, int bins)
    {
        ArgumentNullException.ThrowIfNull(reference);
        ArgumentNullException.ThrowIfNull(current);
        ArgumentOutOfRangeException.ThrowIfLessThan(bins, 2);
        if (reference.Count == 0 || current.Count == 0)
        {
            throw new ArgumentException("PSI needs two non-empty samples.");
        }

        var edges = QuantileEdges(reference, bins);
        return Compute(Histogram(reference, edges), Histogram(current, edges));
    }

    /// <summary>PSI of a categorical feature, one bin per category.</summary>
    public static double Compute(IReadOnlyDictionary<string, long> reference, IReadOnlyDictionary<string, long> current)
    {
        var aligned = CategoryCounts.Align(reference, current);
        return Compute(
            CategoryCounts.ToProportions(aligned.Reference, EmptyBinFrequency),
            CategoryCounts.ToProportions(aligned.Current, EmptyBinFrequency));
    }

    /// <summary>
    /// The inner bin edges: the reference's k/bins quantiles (k = 1..bins-1, order statistic at ⌈k·n/bins⌉),
    /// without duplicates. A value x falls into bin #(edges &lt; x), so bins are (e_{k-1}, e_k].
    /// </summary>
    internal static double[] QuantileEdges(IReadOnlyList<double> reference, int bins)
    {
        var sorted = reference.Order().ToArray();
        var edges = new List<double>(bins - 1);
        for (var k = 1; k < bins; k++)
        {
            var index = Math.Max(0, (int)Math.Ceiling((double)k * sorted.Length / bins) - 1);
            var edge = sorted[index];
            if (edges.Count == 0 || edge > edges[^1])
            {
                edges.Add(edge);
            }
        }

        return [.. edges];
    }

    private static double[] Histogram(IReadOnlyList<double> values, double[] edges)
    {
        var counts = new double[edges.Length + 1];
        foreach (var value in values)
        {
            if (double.IsNaN(value))
            {
                throw new ArgumentException("PSI needs samples without missing (NaN) values.", nameof(values));
            }

            var index = Array.BinarySearch(edges, value);
            var bin = index >= 0 ? index : ~index;
            counts[bin]++;
        }

        for (var k = 0; k < counts.Length; k++)
        {
            counts[k] /= values.Count;
        }

        return counts;
    }
}
