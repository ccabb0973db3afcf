using Serverless.Domain.Datasets;
using Serverless.Domain.Projects;

namespace Serverless.Data.Splitting;

/// <summary>
/// Splits rows into train/validation/test, deterministically from <see cref="SplitSpec.Seed"/> (via
/// <see cref="StableRandom"/>): same rows, labels and seed give the same split on any machine. For classification
/// the split is stratified: each class is shuffled and cut by the fractions on its own (rounded), and a class with
/// two or more rows always puts at least one row in test and keeps at least one in train.
/// </summary>
public static class DatasetSplitter
{
    /// <param name="strata">The label column to stratify by (classification), or null for a plain random split (regression).</param>
    public static DatasetSplit Split(int rowCount, FrameColumn? strata, SplitSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentOutOfRangeException.ThrowIfNegative(rowCount);
        var random = new StableRandom(unchecked((ulong)spec.Seed));
        var groups = strata is null ? [Enumerable.Range(0, rowCount).ToArray()] : GroupByClass(strata, rowCount);
        var train = new List<int>(rowCount);
        var validation = new List<int>();
        var test = new List<int>();
        foreach (var rows in groups)
        {
            random.Shuffle(rows);
            var (testCount, validationCount) = Counts(rows.Length, spec, stratified: strata is not null);
            test.AddRange(rows.AsSpan(0, testCount));
            validation.AddRange(rows.AsSpan(testCount, validationCount));
            train.AddRange(rows.AsSpan(testCount + validationCount));
        }

        return new DatasetSplit(Sorted(train), Sorted(validation), Sorted(test), spec.Seed);
    }

    /// <summary>Splits a frame by its label column (stratified unless the label is numeric regression, <paramref name="stratify"/> false).</summary>
    public static DatasetSplit Split(TabularFrame frame, string label, bool stratify, SplitSpec spec)
    {
        ArgumentNullException.ThrowIfNull(frame);
        return Split(frame.RowCount, stratify ? frame[label] : null, spec);
    }

    private static (int Test, int Validation) Counts(int n, SplitSpec spec, bool stratified)
    {
        var test = (int)Math.Round(n * spec.Test, MidpointRounding.AwayFromZero);
        var validation = (int)Math.Round(n * spec.Validation, MidpointRounding.AwayFromZero);
        if (n >= 2 && spec.Test > 0)
        {
            test = Math.Max(test, 1);
        }

        test = Math.Min(test, Math.Max(n - 1, 0));
        validation = Math.Min(validation, Math.Max(n - 1 - test, 0));
        if (stratified && n < 2)
        {
            return (0, 0);
        }

        return (test, validation);
    }

    private static List<int[]> GroupByClass(FrameColumn strata, int rowCount)
    {
        if (strata.Length != rowCount)
        {
            throw new ArgumentException($"The label column '{strata.Name}' has {strata.Length} rows; expected {rowCount}.", nameof(strata));
        }

        var byClass = new SortedDictionary<string, List<int>>(StringComparer.Ordinal);
        for (var row = 0; row < rowCount; row++)
        {
            var key = strata.IsMissing(row) ? "\0missing" : strata.Format(row);
            if (!byClass.TryGetValue(key, out var rows))
            {
                byClass[key] = rows = [];
            }

            rows.Add(row);
        }

        return byClass.Values.Select(r => r.ToArray()).ToList();
    }

    private static int[] Sorted(List<int> rows)
    {
        var array = rows.ToArray();
        Array.Sort(array);
        return array;
    }
}
