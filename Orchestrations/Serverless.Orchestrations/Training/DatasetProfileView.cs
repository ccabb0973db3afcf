using Serverless.Data.Profiling;

namespace Serverless.Orchestrations.Training;

/// <summary>
/// A dataset profile as the API shows it: per column its type, missing share, numeric statistics with the histogram, or the
/// top categories. The drift reference sample stays in the stored profile.
/// </summary>
public sealed record DatasetProfileView(int Rows, string? Label, IReadOnlyDictionary<string, int>? ClassCounts, IReadOnlyList<DatasetColumnView> Columns)
{
    public static DatasetProfileView Of(DatasetProfile profile)
    {
        ArgumentNullException.ThrowIfNull(profile);
        return new DatasetProfileView(profile.RowCount, profile.Label, profile.ClassCounts, [.. profile.Columns.Select(DatasetColumnView.Of)]);
    }
}

/// <summary>
/// One column: <see cref="MissingShare"/> of its <see cref="Count"/> rows are missing; numeric and boolean columns have
/// <see cref="Min"/>..<see cref="Histogram"/> over their present values, categorical and boolean ones <see cref="TopCategories"/>.
/// </summary>
public sealed record DatasetColumnView(
    string Name,
    string Type,
    int Count,
    int MissingCount,
    double MissingShare,
    int DistinctCount,
    double? Min,
    double? Max,
    double? Mean,
    double? StandardDeviation,
    IReadOnlyDictionary<string, double>? Quantiles,
    Histogram? Histogram,
    IReadOnlyList<CategoryFrequency>? TopCategories,
    int? OtherCategoriesCount)
{
    public static DatasetColumnView Of(ColumnProfile column)
    {
        ArgumentNullException.ThrowIfNull(column);
        var numeric = column.Numeric;
        return new DatasetColumnView(
            column.Name,
            column.Kind.ToString().ToLowerInvariant(),
            column.Count,
            column.MissingCount,
            column.Count == 0 ? 0 : (double)column.MissingCount / column.Count,
            column.DistinctCount,
            numeric?.Min,
            numeric?.Max,
            numeric?.Mean,
            numeric?.StandardDeviation,
            numeric?.Quantiles,
            numeric?.Histogram,
            column.Categories?.Top,
            column.Categories?.OtherCount);
    }
}
