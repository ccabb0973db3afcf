namespace Serverless.Monitoring.Statistics;

/// <summary>Category counts of two samples aligned on the union of their categories (in ordinal order).</summary>
public sealed record CategoryCounts(IReadOnlyList<string> Categories, IReadOnlyList<long> Reference, IReadOnlyList<long> Current)
{
    /// <summary>Aligns two count tables; a category missing on one side counts 0 there.</summary>
    public static CategoryCounts Align(IReadOnlyDictionary<string, long> reference, IReadOnlyDictionary<string, long> current)
    {
        ArgumentNullException.ThrowIfNull(reference);
        ArgumentNullException.ThrowIfNull(current);
        var categories = reference.Keys.Union(current.Keys, StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();
        return new CategoryCounts(
            categories,
            categories.Select(c => Count(reference, c, nameof(reference))).ToArray(),
            categories.Select(c => Count(current, c, nameof(current))).ToArray());
    }

    /// <summary>Counts the non-missing values of a sample.</summary>
    public static Dictionary<string, long> Count(IEnumerable<string?> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        var counts = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var value in values)
        {
            if (value is not null)
            {
                counts[value] = counts.GetValueOrDefault(value) + 1;
            }
        }

        return counts;
    }

    /// <summary>Each side's counts as proportions, with empty categories replaced by <paramref name="epsilon"/>.</summary>
    public (double[] Reference, double[] Current) Proportions(double epsilon) =>
        (ToProportions(Reference, epsilon), ToProportions(Current, epsilon));

    internal static double[] ToProportions(IReadOnlyList<long> counts, double epsilon)
    {
        var total = (double)counts.Sum();
        return counts.Select(c => c == 0 || total == 0 ? epsilon : c / total).ToArray();
    }

    private static long Count(IReadOnlyDictionary<string, long> counts, string category, string side)
    {
        var count = counts.GetValueOrDefault(category);
        return count >= 0 ? count : throw new ArgumentException($"The {side} count of category '{category}' is negative ({count}).", side);
    }
}
