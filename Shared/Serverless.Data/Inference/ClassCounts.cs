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
            return numeric.Values.Where(v => !double.IsNaN(v)).GroupBy(v => v).OrderBy(g => g.Key)
                .Select(g => KeyValuePair.Create(g.Key.ToString("R", CultureInfo.InvariantCulture), g.Count())).ToList();
        }

        var text = (TextColumn)label;
        return text.Values.Where(v => v is not null).GroupBy(v => v!, StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => KeyValuePair.Create(g.Key, g.Count())).ToList();
    }
}
