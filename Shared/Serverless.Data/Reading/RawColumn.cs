using Serverless.Domain.Datasets;

namespace Serverless.Data.Reading;

/// <summary>
/// A column as read, before typing: either numbers (every present value was an unquoted number; NaN = missing)
/// or strings (null = missing). <see cref="SourceKind"/> is set when the file format itself is typed (Parquet).
/// </summary>
public sealed record RawColumn(string Name, double[]? Numbers, string?[]? Texts, ColumnKind? SourceKind = null)
{
    public int Length => Numbers?.Length ?? Texts!.Length;

    public static RawColumn OfNumbers(string name, double[] values, ColumnKind? sourceKind = null) => new(name, values, null, sourceKind);

    public static RawColumn OfTexts(string name, string?[] values, ColumnKind? sourceKind = null) => new(name, null, values, sourceKind);
}

/// <summary>A file read into raw columns, with the SHA-256 of its bytes.</summary>
public sealed record RawDataset(string FileName, string ContentHash, long ByteCount, int RowCount, IReadOnlyList<RawColumn> Columns);
