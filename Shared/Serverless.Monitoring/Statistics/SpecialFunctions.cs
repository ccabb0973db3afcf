namespace Serverless.Monitoring.Statistics;

/// <summary>
/// The special functions the drift tests need: log-gamma, the regularized incomplete gamma functions
/// P(a, x) and Q(a, x) (series for x &lt; a + 1, Lentz continued fraction otherwise, as described in
/// Numerical Recipes §6.2), the complementary error function (erfc(x) = Q(1/2, x²)) and the standard normal CDF.
/// </summary>
public static class SpecialFunctions
{
    private const int MaxIterations = 10_000;
    private const double Epsilon = 1e-15;
    private const double TinyValue = 1e-300;

    // Lanczos approximation, g = 7, n = 9 (accurate to about 15 significant digits).
    private static readonly double[] LanczosCoefficients =
    [
        0.99999999999980993,
        676.5203681218851,
        -1259.1392167224028,
        771.32342877765313,
        -176.61502916214059,
        12.507343278686905,
        -0.13857109526572012,
        9.9843695780195716e-6,
        1.5056327351493116e-7,
    ];

    /// <summary>ln Γ(x) for x &gt; 0.</summary>
    public static double LogGamma(double x)
    {
        if (!(x > 0))
        {
            throw new ArgumentOutOfRangeException(nameof(x), x, "LogGamma is defined here for x > 0 only.");
        }

        if (x < 0.5)
        {
            // Reflection: Γ(x)Γ(1-x) = π / sin(πx).
            return Math.Log(Math.PI / Math.Sin(Math.PI * x)) - LogGamma(1 - x);
        }

        x -= 1;
        var sum = LanczosCoefficients[0];
        for (var i = 1; i < LanczosCoefficients.Length; i++)
        {
            sum += LanczosCoefficients[i] / (x + i);
        }

        var t = x + 7.5;
        return (0.5 * Math.Log(2 * Math.PI)) + ((x + 0.5) * Math.Log(t)) - t + Math.Log(sum);
    }

    /// <summary>The regularized lower incomplete gamma function P(a, x) = γ(a, x) / Γ(a).</summary>
    public static double RegularizedGammaP(double a, double x)
    {
        ValidateGammaArguments(a, x);
        if (x == 0)
        {
            return 0;
        }

        return x < a + 1 ? GammaSeries(a, x) : 1 - GammaContinuedFraction(a, x);
    }

    /// <summary>The regularized upper incomplete gamma function Q(a, x) = Γ(a, x) / Γ(a) = 1 - P(a, x).</summary>
    public static double RegularizedGammaQ(double a, double x)
    {
        ValidateGammaArguments(a, x);
        if (x == 0)
        {
            return 1;
        }

        if (double.IsPositiveInfinity(x))
        {
            return 0;
        }

        return x < a + 1 ? 1 - GammaSeries(a, x) : GammaContinuedFraction(a, x);
    }

    /// <summary>The complementary error function, erfc(x) = 1 - erf(x).</summary>
    public static double Erfc(double x)
    {
        if (double.IsNaN(x))
        {
            return double.NaN;
        }

        return x >= 0 ? RegularizedGammaQ(0.5, x * x) : 1 + RegularizedGammaP(0.5, x * x);
    }

    /// <summary>The standard normal cumulative distribution function Φ(z) = erfc(-z / √2) / 2.</summary>
    public static double NormalCdf(double z) => 0.5 * Erfc(-z / Math.Sqrt(2));

    /// <summary>Series representation: P(a,x) = e^{-x} x^a / Γ(a) · Σ x^n / (a (a+1) ... (a+n)).</summary>
    private static double GammaSeries(double a, double x)
    {
        var ap = a;
        var term = 1 / a;
        var sum = term;
        for (var n = 0; n < MaxIterations; n++)
        {
            ap += 1;
            term *= x / ap;
            sum += term;
            if (Math.Abs(term) < Math.Abs(sum) * Epsilon)
            {
                return sum * Math.Exp(-x + (a * Math.Log(x)) - LogGamma(a));
            }
        }

        throw new InvalidOperationException($"The incomplete gamma series did not converge for a={a}, x={x}.");
    }

    /// <summary>Continued fraction for Q(a,x), evaluated with the modified Lentz method.</summary>
    private static double GammaContinuedFraction(double a, double x)
    {
        var b = x + 1 - a;
        var c = 1 / TinyValue;
        var d = 1 / b;
        var h = d;
        for (var i = 1; i < MaxIterations; i++)
        {
            var an = -i * (i - a);
            b += 2;
            d = (an * d) + b;
            if (Math.Abs(d) < TinyValue)
            {
                d = TinyValue;
            }

            c = b + (an / c);
            if (Math.Abs(c) < TinyValue)
            {
                c = TinyValue;
            }

            d = 1 / d;
            var delta = d * c;
            h *= delta;
            if (Math.Abs(delta - 1) < Epsilon)
            {
                return Math.Exp(-x + (a * Math.Log(x)) - LogGamma(a)) * h;
            }
        }

        throw new InvalidOperationException($"The incomplete gamma continued fraction did not converge for a={a}, x={x}.");
    }

    private static void ValidateGammaArguments(double a, double x)
    {
        if (!(a > 0))
        {
            throw new ArgumentOutOfRangeException(nameof(a), a, "The incomplete gamma function needs a > 0.");
        }

        if (!(x >= 0))
        {
            throw new ArgumentOutOfRangeException(nameof(x), x, "The incomplete gamma function needs x >= 0.");
        }
    }
}
