namespace Serverless.Monitoring.Tests;

/// <summary>Standard normal draws (Box-Muller) from a seeded <see cref="Random"/>.</summary>
internal static class Gaussian
{
    public static double Next(Random random)
    {
        var u1 = 1.0 - random.NextDouble();
        var u2 = random.NextDouble();
        return Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
    }

    public static double[] Sample(Random random, int count, double mean = 0, double sd = 1) =>
        Enumerable.Range(0, count).Select(_ => mean + (sd * Next(random))).ToArray();

    /// <summary>Draws <paramref name="count"/> labels with the given probabilities.</summary>
    public static string?[] Categories(Random random, int count, IReadOnlyList<(string Label, double Probability)> mix)
    {
        var values = new string?[count];
        for (var i = 0; i < count; i++)
        {
            var u = random.NextDouble();
            var cumulative = 0.0;
            values[i] = mix[^1].Label;
            foreach (var (label, probability) in mix)
            {
                cumulative += probability;
                if (u < cumulative)
                {
                    values[i] = label;
                    break;
                }
            }
        }

        return values;
    }
}
