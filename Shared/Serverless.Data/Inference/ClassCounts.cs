using System.Globalization;
using Serverless.Domain.Datasets;

namespace Serverless.Data.Inference;

/// <summary>The classes of a label column: its distinct present values as text, with their counts, sorted (numerically for numbers, else ordinally).</summary>
public static class ClassCounts
{
    public static IReadOnlyList<KeyValuePair<string, int>> Of(FrameColumn label)
    {
        ArgumentNullException.ThrowIfNull(label);
        if (label is NumericColumn numeric)
        {
            var numbers = new Dictionary<double, int>();
            foreach (var value in numeric.Values)
            {
                if (!double.IsNaN(value))
                {
                    numbers[value] = numbers.GetValueOrDefault(value) + 1;
                }
            }

            return numbers.OrderBy(c => c.Key).Select(c => KeyValuePair.Create(c.Key.ToString("R", CultureInfo.InvariantCulture), c.Value)).ToList();
        }

        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var value in ((TextColumn)label).Values)
        {
            if (value is not null)
            {
                counts[value] = counts.GetValueOrDefault(value) + 1;
            }
        }

        return counts.OrderBy(c => c.Key, StringComparer.Ordinal).ToList();
    }
}
