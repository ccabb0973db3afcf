using Serverless.Data.Inference;
using Serverless.Data.Splitting;
using Serverless.Domain.Datasets;

namespace Serverless.Data.Profiling;

/// <summary>Computes a <see cref="DatasetProfile"/>. Deterministic: the reference sample uses a fixed seed, and columns profiled in parallel give the same profile.</summary>
public sealed class DatasetProfiler(DatasetIngestionOptions options)
{
    private static readonly (string Name, double P)[] QuantilePoints =
        [("p1", 0.01), ("p5", 0.05), ("p25", 0.25), ("p50", 0.5), ("p75", 0.75), ("p95", 0.95), ("p99", 0.99)];

    /// <param name="label">The label column, whose class counts are recorded when it is not regression.</param>
    /// <param name="classification">Record class counts for the label.</param>
    public DatasetProfile Profile(TabularFrame frame, string? label, bool classification)
    {
        ArgumentNullException.ThrowIfNull(frame);
        var columns = ColumnParallel.Map(frame.Columns, options.MaxDegreeOfParallelism, ProfileColumn).ToList();
        IReadOnlyDictionary<string, int>? classes = label is not null && classification && frame.Contains(label)
            ? ClassCounts.Of(frame[label]).ToDictionary(c => c.Key, c => c.Value, StringComparer.Ordinal)
            : null;
        return new DatasetProfile(frame.RowCount, columns, label, classes);
    }

    private ColumnProfile ProfileColumn(FrameColumn column) => column switch
    {
        NumericColumn numeric => ProfileNumeric(numeric),
        TextColumn text => ProfileText(text),
        _ => throw new NotSupportedException($"Column '{column.Name}' has an unknown column type {column.GetType().Name}."),
    };

    private ColumnProfile ProfileNumeric(NumericColumn column)
    {
        var present = PresentValues(column.Values);
        var missing = column.Length - present.Length;
        var categories = column.Kind == ColumnKind.Boolean ? Categories(present.Select(v => v == 1 ? "true" : "false"), present.Length) : null;
        if (present.Length == 0)
        {
            return new ColumnProfile(column.Name, column.Kind, column.Length, missing, 0, null, categories);
        }

        var sample = ReferenceSample(present);
        NumberSort.Sort(present);
        var distinct = 1;
        for (var i = 1; i < present.Length; i++)
        {
            distinct += present[i] != present[i - 1] ? 1 : 0;
        }

        var mean = 0.0;
        var m2 = 0.0;
        for (var i = 0; i < present.Length; i++)
        {
            var delta = present[i] - mean;
            mean += delta / (i + 1);
            m2 += delta * (present[i] - mean);
        }

        var std = present.Length > 1 ? Math.Sqrt(m2 / (present.Length - 1)) : 0;
        var quantiles = QuantilePoints.ToDictionary(q => q.Name, q => Quantile(present, q.P), StringComparer.Ordinal);
        var numeric = new NumericProfile(present[0], present[^1], mean, std, quantiles, Histogram(present), sample);
        return new ColumnProfile(column.Name, column.Kind, column.Length, missing, distinct, numeric, categories);
    }

    private ColumnProfile ProfileText(TextColumn column)
    {
        var present = column.Values.Where(v => v is not null).Select(v => v!).ToList();
        var distinct = present.Distinct(StringComparer.Ordinal).Count();
        var categories = column.Kind == ColumnKind.Categorical ? Categories(present, present.Count) : null;
        return new ColumnProfile(column.Name, column.Kind, column.Length, column.Length - present.Count, distinct, null, categories);
    }

    private CategoryProfile Categories(IEnumerable<string> values, int present)
    {
        var counts = values.GroupBy(v => v, StringComparer.Ordinal)
            .Select(g => (Value: g.Key, Count: g.Count()))
            .OrderByDescending(c => c.Count).ThenBy(c => c.Value, StringComparer.Ordinal)
            .ToList();
        var top = counts.Take(options.TopCategories).Select(c => new CategoryFrequency(c.Value, c.Count, (double)c.Count / present)).ToList();
        return new CategoryProfile(top, counts.Skip(options.TopCategories).Sum(c => c.Count));
    }

    private static double[] PresentValues(double[] values)
    {
        var count = 0;
        foreach (var value in values)
        {
            count += double.IsNaN(value) ? 0 : 1;
        }

        var present = new double[count];
        var next = 0;
        foreach (var value in values)
        {
            if (!double.IsNaN(value))
            {
                present[next++] = value;
            }
        }

        return present;
    }

    /// <summary>Linear interpolation between closest ranks (type 7, as numpy's default).</summary>
    private static double Quantile(double[] sorted, double p)
    {
        var position = p * (sorted.Length - 1);
        var lower = (int)Math.Floor(position);
        var upper = Math.Min(lower + 1, sorted.Length - 1);
        return sorted[lower] + ((position - lower) * (sorted[upper] - sorted[lower]));
    }

    private Histogram Histogram(double[] sorted)
    {
        var min = sorted[0];
        var max = sorted[^1];
        var bins = min == max ? 1 : options.HistogramBins;
        var width = (max - min) / bins;
        var edges = Enumerable.Range(0, bins + 1).Select(i => i == bins ? max : min + (i * width)).ToArray();
        var counts = new int[bins];
        foreach (var value in sorted)
        {
            var bin = width == 0 ? 0 : (int)((value - min) / width);
            counts[Math.Clamp(bin, 0, bins - 1)]++;
        }

        return new Histogram(edges, counts);
    }

    /// <summary>Up to <see cref="DatasetIngestionOptions.ReferenceSampleSize"/> present values, drawn without replacement with a fixed seed, in row order.</summary>
    private double[] ReferenceSample(double[] present)
    {
        if (present.Length <= options.ReferenceSampleSize)
        {
            return (double[])present.Clone();
        }

        // A partial Fisher–Yates shuffle over a virtual index array: only swapped positions are stored.
        var swapped = new Dictionary<int, int>();
        var random = new StableRandom(options.ProfileSeed);
        var chosen = new int[options.ReferenceSampleSize];
        for (var i = 0; i < chosen.Length; i++)
        {
            var j = i + random.NextInt(present.Length - i);
            chosen[i] = swapped.GetValueOrDefault(j, j);
            swapped[j] = swapped.GetValueOrDefault(i, i);
        }

        Array.Sort(chosen);
        return chosen.Select(i => present[i]).ToArray();
    }
}
