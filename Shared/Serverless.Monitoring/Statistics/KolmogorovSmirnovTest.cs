namespace Serverless.Monitoring.Statistics;

/// <summary>
/// The two-sample Kolmogorov-Smirnov test: D = sup |F_ref(x) - F_cur(x)| over the two empirical CDFs.
/// </summary>
/// <remarks>
/// <para>
/// The p-value P(D ≥ d) under the null hypothesis (both samples from one continuous distribution) is exact when
/// n·m ≤ <see cref="ExactLimit"/>: the n+m sorted observations form a lattice path from (0,0) to (n,m), every path
/// is equally likely, and the path stays strictly inside |i/n - j/m| &lt; d with probability a(n,m), where
/// a(i,j) = a(i-1,j)·i/(i+j) + a(i,j-1)·j/(i+j) is the count of admissible paths divided by C(i+j, i)
/// (the same path-counting idea as scipy's <c>ks_2samp(method="exact")</c>). Comparisons run on integers
/// (|i·m - j·n| against d·n·m), so they are exact.
/// </para>
/// <para>
/// Larger samples use the asymptotic Kolmogorov distribution with Stephens' small-sample correction
/// (Numerical Recipes §14.3): λ = (√N_e + 0.12 + 0.11/√N_e)·d with N_e = n·m/(n+m), p = Q_KS(λ).
/// Ties are handled by evaluating the CDFs only between distinct values; the p-value then is conservative.
/// </para>
/// </remarks>
public static class KolmogorovSmirnovTest
{
    /// <summary>Above this product of the sample sizes the asymptotic distribution is used.</summary>
    public const long ExactLimit = 10_000_000;

    /// <summary>Runs the test on two samples (NaN values are not allowed; drop missing values first).</summary>
    public static StatisticalTestResult Compute(IReadOnlyList<double> reference, IReadOnlyList<double> current)
    {
        ArgumentNullException.ThrowIfNull(reference);
        ArgumentNullException.ThrowIfNull(current);
        if (reference.Count == 0 || current.Count == 0)
        {
            throw new ArgumentException("The Kolmogorov-Smirnov test needs two non-empty samples.");
        }

        var a = Sorted(reference, nameof(reference));
        var b = Sorted(current, nameof(current));
        long n = a.Length;
        long m = b.Length;
        var scaledD = ScaledStatistic(a, b);
        var d = (double)scaledD / (n * m);
        var p = n * m <= ExactLimit ? ExactPValue(n, m, scaledD) : AsymptoticPValue(n, m, d);
        return new StatisticalTestResult(d, Math.Clamp(p, 0, 1));
    }

    /// <summary>
    /// Q_KS(λ) = 2 Σ_{j≥1} (-1)^{j-1} e^{-2 j² λ²}, the survival function of the Kolmogorov distribution.
    /// For small λ the equivalent form 1 - (√(2π)/λ) Σ_{j≥1} e^{-(2j-1)² π² / (8 λ²)} converges faster.
    /// </summary>
    public static double KolmogorovSurvival(double lambda)
    {
        if (lambda <= 0)
        {
            return 1;
        }

        if (lambda < 1.18)
        {
            var y = Math.Exp(-(Math.PI * Math.PI) / (8 * lambda * lambda));
            var sum = 0.0;
            for (var j = 1; j <= 20; j++)
            {
                var k = (2 * j) - 1;
                sum += Math.Pow(y, k * k);
            }

            return 1 - (Math.Sqrt(2 * Math.PI) / lambda * sum);
        }

        var total = 0.0;
        var sign = 1.0;
        for (var j = 1; j <= 100; j++)
        {
            var term = sign * Math.Exp(-2 * j * j * lambda * lambda);
            total += term;
            if (Math.Abs(term) < 1e-16)
            {
                break;
            }

            sign = -sign;
        }

        return 2 * total;
    }

    /// <summary>max |i·m - j·n| over the positions between distinct values: D scaled by n·m.</summary>
    private static long ScaledStatistic(double[] a, double[] b)
    {
        long n = a.Length;
        long m = b.Length;
        long i = 0;
        long j = 0;
        long best = 0;
        while (i < n && j < m)
        {
            var x = Math.Min(a[i], b[j]);
            while (i < n && a[i] == x)
            {
                i++;
            }

            while (j < m && b[j] == x)
            {
                j++;
            }

            best = Math.Max(best, Math.Abs((i * m) - (j * n)));
        }

        return best;
    }

    private static double ExactPValue(long n, long m, long scaledD)
    {
        if (scaledD == 0)
        {
            return 1;
        }

        // row[j] holds a(i, j) for the current i.
        var row = new double[m + 1];
        for (long i = 0; i <= n; i++)
        {
            for (long j = 0; j <= m; j++)
            {
                if (Math.Abs((i * m) - (j * n)) >= scaledD)
                {
                    row[j] = 0;
                    continue;
                }

                if (i == 0 && j == 0)
                {
                    row[j] = 1;
                    continue;
                }

                var fromLeft = i > 0 ? row[j] * i / (i + j) : 0;
                var fromBelow = j > 0 ? row[j - 1] * j / (i + j) : 0;
                row[j] = fromLeft + fromBelow;
            }
        }

        return 1 - row[m];
    }

    private static double AsymptoticPValue(long n, long m, double d)
    {
        var en = Math.Sqrt((double)n * m / (n + m));
        return KolmogorovSurvival((en + 0.12 + (0.11 / en)) * d);
    }

    private static double[] Sorted(IReadOnlyList<double> values, string name)
    {
        var copy = new double[values.Count];
        for (var i = 0; i < copy.Length; i++)
        {
            copy[i] = double.IsNaN(values[i])
                ? throw new ArgumentException($"The {name} sample has a missing (NaN) value at index {i}; drop missing values first.", name)
                : values[i];
        }

        Array.Sort(copy);
        return copy;
    }
}
