using Serverless.Domain.Datasets;

namespace Serverless.Data.Profiling;

/// <summary>
/// A dataset version's statistics, stored with it as the drift baseline: per column counts, numeric summaries with a
/// histogram and a raw reference sample (for Kolmogorov–Smirnov / Wasserstein tests), category frequencies.
/// </summary>
public sealed record DatasetProfile(int RowCount, IReadOnlyList<ColumnProfile> Columns, string? Label, IReadOnlyDictionary<string, int>? ClassCounts)
{
    public ColumnProfile? Find(string column) => Columns.FirstOrDefault(c => c.Name == column);
}

/// <summary>One column's statistics; <see cref="Numeric"/> or <see cref="Categories"/> is set by kind (neither for text and datetime).</summary>
public sealed record ColumnProfile(string Name, ColumnKind Kind, int Count, int MissingCount, int DistinctCount, NumericProfile? Numeric, CategoryProfile? Categories);

/// <summary>Summary of a numeric (or boolean 0/1) column's present values.</summary>
public sealed record NumericProfile(
    double Min,
    double Max,
    double Mean,
    double StandardDeviation,
    IReadOnlyDictionary<string, double> Quantiles,
    Histogram Histogram,
    IReadOnlyList<double> ReferenceSample);

/// <summary>Equal-width bins: <see cref="Edges"/> has one more entry than <see cref="Counts"/>; the last bin includes its upper edge.</summary>
public sealed record Histogram(IReadOnlyList<double> Edges, IReadOnlyList<int> Counts);

/// <summary>The most frequent categories (up to the configured number) with counts and frequencies among present values; the rest summed in <see cref="OtherCount"/>.</summary>
public sealed record CategoryProfile(IReadOnlyList<CategoryFrequency> Top, int OtherCount);

public sealed record CategoryFrequency(string Value, int Count, double Frequency);
