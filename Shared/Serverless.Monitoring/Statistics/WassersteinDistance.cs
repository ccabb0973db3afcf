namespace Serverless.Monitoring.Statistics;

/// <summary>
/// The first Wasserstein (earth mover's) distance between two empirical distributions,
/// W₁ = ∫ |F_ref(x) - F_cur(x)| dx, and Evidently's normalised form W₁ / σ_ref
/// (σ_ref the population standard deviation of the reference, floored at 0.001).
/// </summary>
public static class WassersteinDistance
{
    /// <summary>The floor of the reference's standard deviation used by <see cref="Normalised"/>.</summary>
    public const double MinimumScale = 0.001;

    /// <summary>W₁ between the two samples.</summary>
    public static double Compute(IReadOnlyList<double> reference, IReadOnlyList<double> current)
    {
        ArgumentNullException.ThrowIfNull(reference);
        ArgumentNullException.ThrowIfNull(current);
        if (reference.Count == 0 || current.Count == 0)
        {
            throw new ArgumentException("The Wasserstein distance needs two non-empty samples.");
        }

        var a = reference.Order().ToArray();
        var b = current.Order().ToArray();
        if (double.IsNaN(a[^1]) || double.IsNaN(b[^1]) || double.IsNaN(a[0]) || double.IsNaN(b[0]))
        {
            throw new ArgumentException("The Wasserstein distance needs samples without missing (NaN) values.");
        }

        // Walk the merged distinct values; between x_k and x_{k+1} both CDFs are constant.
        int i = 0, j = 0;
        var distance = 0.0;
        var x = Math.Min(a[0], b[0]);
        while (i < a.Length || j < b.Length)
        {
            while (i < a.Length && a[i] == x)
            {
                i++;
            }

            while (j < b.Length && b[j] == x)
            {
                j++;
            }

            if (i == a.Length && j == b.Length)
            {
                break;
            }

            var next = Math.Min(i < a.Length ? a[i] : double.PositiveInfinity, j < b.Length ? b[j] : double.PositiveInfinity);
            distance += Math.Abs(((double)i / a.Length) - ((double)j / b.Length)) * (next - x);
            x = next;
        }

        return distance;
    }

    /// <summary>W₁ divided by the reference's population standard deviation (Evidently's <c>wasserstein</c> test).</summary>
    public static double Normalised(IReadOnlyList<double> reference, IReadOnlyList<double> current) =>
        Compute(reference, current) / Math.Max(PopulationStandardDeviation(reference), MinimumScale);

    internal static double PopulationStandardDeviation(IReadOnlyList<double> values)
    {
        var mean = values.Average();
        var sum = 0.0;
        foreach (var value in values)
        {
            sum += (value - mean) * (value - mean);
        }

        return Math.Sqrt(sum / values.Count);
    }
}
