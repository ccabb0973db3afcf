using Serverless.Domain.Datasets;

namespace Serverless.Data.Validation;

/// <summary>Rows that repeat an earlier row in every column (a warning: they weigh double and leak across splits).</summary>
internal static class DuplicateRowCheck
{
    public static void Check(TabularFrame frame, IssueCollector issues)
    {
        var firstByHash = new Dictionary<int, int>(frame.RowCount);
        var duplicates = new List<int>();
        for (var row = 0; row < frame.RowCount; row++)
        {
            var hash = RowHash(frame, row);
            if (!firstByHash.TryAdd(hash, row) && SameRow(frame, firstByHash[hash], row))
            {
                duplicates.Add(row);
            }
        }

        if (duplicates.Count > 0)
        {
            issues.Warning(ValidationRules.DuplicateRows, null,
                $"{duplicates.Count} row(s) repeat an earlier row exactly, first row {duplicates[0] + 1}.", duplicates);
        }
    }

    private static int RowHash(TabularFrame frame, int row)
    {
        var hash = new HashCode();
        foreach (var column in frame.Columns)
        {
            switch (column)
            {
                case NumericColumn numeric:
                    hash.Add(numeric.Values[row]);
                    break;
                case TextColumn text:
                    hash.Add(text.Values[row], StringComparer.Ordinal);
                    break;
            }
        }

        return hash.ToHashCode();
    }

    private static bool SameRow(TabularFrame frame, int a, int b)
    {
        foreach (var column in frame.Columns)
        {
            var same = column switch
            {
                NumericColumn numeric => numeric.Values[a].Equals(numeric.Values[b]),
                TextColumn text => string.Equals(text.Values[a], text.Values[b], StringComparison.Ordinal),
                _ => false,
            };
            if (!same)
            {
                return false;
            }
        }

        return true;
    }
}
