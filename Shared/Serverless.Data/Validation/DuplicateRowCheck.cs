using Serverless.Domain.Datasets;

namespace Serverless.Data.Validation;

/// <summary>
/// Rows that repeat an earlier row in every column (a warning: they weigh double and leak across splits). Row hashes are
/// computed column by column over blocks of rows in parallel; the rows are then compared in order, so the duplicates
/// found (each row equal to some earlier row) do not depend on the hash or on the threads.
/// </summary>
internal static class DuplicateRowCheck
{
    private const int RowsPerBlock = 1 << 16;

    public static void Check(TabularFrame frame, IssueCollector issues, int maxDegreeOfParallelism)
    {
        var hashes = RowHashes(frame, maxDegreeOfParallelism);
        var firstByHash = new Dictionary<int, int>(frame.RowCount);
        Dictionary<int, List<int>>? collided = null;
        var duplicates = new List<int>();
        for (var row = 0; row < frame.RowCount; row++)
        {
            var hash = hashes[row];
            if (firstByHash.TryAdd(hash, row))
            {
                continue;
            }

            if (SameRow(frame, firstByHash[hash], row))
            {
                duplicates.Add(row);
                continue;
            }

            // Same hash, other values: compare with every distinct row seen under this hash.
            collided ??= [];
            if (!collided.TryGetValue(hash, out var others))
            {
                collided[hash] = others = [];
            }

            if (others.Exists(other => SameRow(frame, other, row)))
            {
                duplicates.Add(row);
            }
            else
            {
                others.Add(row);
            }
        }

        if (duplicates.Count > 0)
        {
            issues.Warning(ValidationRules.DuplicateRows, null,
                $"{duplicates.Count} row(s) repeat an earlier row exactly, first row {duplicates[0] + 1}.", duplicates);
        }
    }

    private static int[] RowHashes(TabularFrame frame, int maxDegreeOfParallelism)
    {
        var hashes = new int[frame.RowCount];
        var blocks = Enumerable.Range(0, (frame.RowCount + RowsPerBlock - 1) / RowsPerBlock).ToList();
        ColumnParallel.Map(blocks, maxDegreeOfParallelism, block =>
        {
            var end = Math.Min(frame.RowCount, (block + 1) * RowsPerBlock);
            foreach (var column in frame.Columns)
            {
                HashInto(column, hashes, block * RowsPerBlock, end);
            }

            return block;
        });
        return hashes;
    }

    private static void HashInto(FrameColumn column, int[] hashes, int start, int end)
    {
        switch (column)
        {
            case NumericColumn numeric:
                var numbers = numeric.Values;
                for (var row = start; row < end; row++)
                {
                    hashes[row] = HashCode.Combine(hashes[row], numbers[row]);
                }

                break;
            case TextColumn text:
                var texts = text.Values;
                for (var row = start; row < end; row++)
                {
                    hashes[row] = HashCode.Combine(hashes[row], texts[row] is { } value ? StringComparer.Ordinal.GetHashCode(value) : 0);
                }

                break;
        }
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
