using System.Globalization;

namespace Serverless.Data.Reading;

/// <summary>
/// What one uploaded dataset may hold (bind from configuration section <c>Datasets:Limits</c>), so no upload can
/// take a host's memory: a file over a limit is refused with a <see cref="DatasetFormatException"/> naming the
/// limit and its setting, while it is read and before it is held. The defaults keep one ingestion's frame to a
/// few GiB on a 24 GiB host.
/// </summary>
public sealed record DatasetLimits
{
    public const string SectionName = DatasetIngestionOptions.SectionName + ":Limits";

    /// <summary>
    /// Bytes of text read from a CSV/TSV (after gzip decompression, counted while streaming) and bytes of a
    /// Parquet file (and of its columns' declared uncompressed sizes). Default 2 GiB.
    /// </summary>
    public long MaxUncompressedBytes { get; init; } = 2L * 1024 * 1024 * 1024;

    /// <summary>Characters in one field (one cell, or one header name). Default 1 MiB.</summary>
    public int MaxFieldLength { get; init; } = 1024 * 1024;

    /// <summary>Columns in the header (or Parquet schema). Default 2,000.</summary>
    public int MaxColumns { get; init; } = 2_000;

    /// <summary>Data rows, counted while reading (a Parquet file's declared counts are checked before any is allocated). Default 50,000,000.</summary>
    public int MaxRows { get; init; } = 50_000_000;

    /// <summary>Values (rows × columns): each is held as at least 8 bytes, so this bounds the frame. Default 200,000,000 (1.6 GB of numbers).</summary>
    public long MaxCells { get; init; } = 200_000_000;

    public static DatasetLimits Default { get; } = new();

    /// <summary>The full setting name of a limit, as a message names it (<c>Datasets:Limits:MaxRows</c>).</summary>
    public static string Setting(string name) => $"{SectionName}:{name}";

    /// <summary>A count as messages show it: <c>2,000</c>.</summary>
    internal static string Format(long value) => value.ToString("N0", CultureInfo.InvariantCulture);

    /// <summary>The limits that are out of range, each naming its setting.</summary>
    public IReadOnlyList<string> Validate()
    {
        var problems = new List<string>();
        Check(MaxUncompressedBytes >= 1, nameof(MaxUncompressedBytes));
        Check(MaxFieldLength >= 1, nameof(MaxFieldLength));
        Check(MaxColumns >= 1, nameof(MaxColumns));
        Check(MaxRows >= 1, nameof(MaxRows));
        Check(MaxCells >= 1, nameof(MaxCells));
        return problems;

        void Check(bool ok, string name)
        {
            if (!ok)
            {
                problems.Add($"{Setting(name)} must be at least 1");
            }
        }
    }
}
