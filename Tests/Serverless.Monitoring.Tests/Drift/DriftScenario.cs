using Serverless.Monitoring.Drift;

namespace Serverless.Monitoring.Tests.Drift;

/// <summary>
/// A synthetic monitored model: six numeric features x0..x5 (normal, each with its own mean and scale), a
/// three-category "color" and a binary "flag". Reference and current windows are drawn from seeded generators;
/// chosen features can be shifted by one standard deviation, and the color mix changed.
/// </summary>
internal static class DriftScenario
{
    public static readonly (double Mean, double Sd)[] Numeric = [(0, 1), (10, 2), (-5, 0.5), (100, 15), (3, 3), (0.5, 0.1)];
    public static readonly (string, double)[] ColorMix = [("red", 0.5), ("green", 0.3), ("blue", 0.2)];
    public static readonly (string, double)[] ChangedColorMix = [("red", 0.2), ("green", 0.3), ("blue", 0.5)];
    public static readonly (string, double)[] FlagMix = [("yes", 0.3), ("no", 0.7)];

    public static IReadOnlyList<FeatureComparison> Draw(
        Random random, int referenceSize, int currentSize, IReadOnlySet<int> shiftedNumeric, bool changeColor)
    {
        var comparisons = new List<FeatureComparison>();
        for (var k = 0; k < Numeric.Length; k++)
        {
            var (mean, sd) = Numeric[k];
            var name = $"x{k}";
            var reference = Gaussian.Sample(random, referenceSize, mean, sd);
            var current = Gaussian.Sample(random, currentSize, mean + (shiftedNumeric.Contains(k) ? sd : 0), sd);
            comparisons.Add(new FeatureComparison(new FeatureReference.Numeric(name, reference), new FeatureCurrent.Numeric(name, current)));
        }

        comparisons.Add(Categorical(random, "color", referenceSize, currentSize, ColorMix, changeColor ? ChangedColorMix : ColorMix));
        comparisons.Add(Categorical(random, "flag", referenceSize, currentSize, FlagMix, FlagMix));
        return comparisons;
    }

    private static FeatureComparison Categorical(
        Random random, string name, int referenceSize, int currentSize, (string, double)[] referenceMix, (string, double)[] currentMix)
    {
        var reference = Serverless.Monitoring.Statistics.CategoryCounts.Count(Gaussian.Categories(random, referenceSize, referenceMix));
        return new FeatureComparison(
            new FeatureReference.Categorical(name, reference),
            new FeatureCurrent.Categorical(name, Gaussian.Categories(random, currentSize, currentMix)));
    }
}
