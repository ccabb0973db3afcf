using System.IO.Compression;

namespace Serverless.Data.Reading;

/// <summary>
/// Reads an uploaded dataset (CSV, CSV.gz, TSV, Parquet) from a stream into raw columns, computing the SHA-256
/// of the uploaded bytes (compressed bytes for .gz) as they pass, within <see cref="DatasetLimits"/>.
/// </summary>
public static class DatasetReader
{
    /// <summary>Reads within <see cref="DatasetLimits.Default"/>.</summary>
    /// <exception cref="DatasetFormatException">The file cannot be read or is over a limit; the message names the file, line and column.</exception>
    public static Task<RawDataset> ReadAsync(Stream stream, string fileName, CancellationToken cancellationToken) =>
        ReadAsync(stream, fileName, DatasetLimits.Default, cancellationToken);

    /// <exception cref="DatasetFormatException">The file cannot be read or is over one of <paramref name="limits"/>; the message names the file, line, column and setting.</exception>
    public static async Task<RawDataset> ReadAsync(Stream stream, string fileName, DatasetLimits limits, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(limits);
        var (format, gzip) = DatasetFileFormats.FromFileName(fileName);
        using var hashing = new HashingStream(stream);
        var (columns, rows) = format == DatasetFileFormat.Parquet
            ? await ReadParquetAsync(hashing, fileName, limits, cancellationToken).ConfigureAwait(false)
            : await ReadTextAsync(hashing, fileName, gzip, format == DatasetFileFormat.Tsv ? '\t' : null, limits, cancellationToken).ConfigureAwait(false);
        var hash = await hashing.CompleteAsync(cancellationToken).ConfigureAwait(false);
        return new RawDataset(fileName, hash, hashing.BytesRead, rows, columns);
    }

    /// <summary>
    /// Reads a file already on local disk, whose SHA-256 the caller computed from these bytes: a plain CSV/TSV in row
    /// blocks on up to <paramref name="maxDegreeOfParallelism"/> threads when <see cref="ParallelCsvReader"/> applies
    /// (same columns, same errors), else in order as <see cref="ReadAsync(Stream, string, DatasetLimits, CancellationToken)"/>.
    /// </summary>
    /// <exception cref="DatasetFormatException">The file cannot be read or is over one of <paramref name="limits"/>; the message names the file, line, column and setting.</exception>
    public static Task<RawDataset> ReadLocalFileAsync(
        string path, string fileName, string contentHash, DatasetLimits limits, int maxDegreeOfParallelism, CancellationToken cancellationToken) =>
        ReadLocalFileAsync(path, fileName, contentHash, limits, maxDegreeOfParallelism, ParallelCsvReader.MinBlockBytes, cancellationToken);

    /// <param name="minBlockBytes">The smallest row block read on its own thread.</param>
    internal static async Task<RawDataset> ReadLocalFileAsync(
        string path, string fileName, string contentHash, DatasetLimits limits, int maxDegreeOfParallelism, long minBlockBytes, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(limits);
        var (format, gzip) = DatasetFileFormats.FromFileName(fileName);
        if (format != DatasetFileFormat.Parquet && !gzip
            && await Task.Run(() => ParallelCsvReader.TryRead(path, fileName, format == DatasetFileFormat.Tsv ? '\t' : null, limits, maxDegreeOfParallelism, minBlockBytes, cancellationToken), cancellationToken).ConfigureAwait(false) is { } read)
        {
            return new RawDataset(fileName, contentHash, new FileInfo(path).Length, read.Rows, read.Columns);
        }

        await using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.Asynchronous | FileOptions.SequentialScan);
        return await ReadAsync(stream, fileName, limits, cancellationToken).ConfigureAwait(false);
    }

    private static async Task<(IReadOnlyList<RawColumn>, int)> ReadTextAsync(
        HashingStream hashing, string fileName, bool gzip, char? delimiter, DatasetLimits limits, CancellationToken cancellationToken)
    {
        if (!gzip)
        {
            await using var limited = Limited(hashing, fileName, "is larger than", limits);
            return await CsvDatasetReader.ReadAsync(limited, fileName, delimiter, limits, cancellationToken).ConfigureAwait(false);
        }

        try
        {
            // The inflated bytes are counted as they stream out of the decompressor: a bomb stops at the limit.
            await using var unzipped = new GZipStream(hashing, CompressionMode.Decompress, leaveOpen: true);
            await using var limited = Limited(unzipped, fileName, "inflates to more than", limits);
            return await CsvDatasetReader.ReadAsync(limited, fileName, delimiter, limits, cancellationToken).ConfigureAwait(false);
        }
        catch (InvalidDataException e)
        {
            throw new DatasetFormatException(fileName, $"is not valid gzip data: {e.Message}", inner: e);
        }
    }

    private static async Task<(IReadOnlyList<RawColumn>, int)> ReadParquetAsync(HashingStream hashing, string fileName, DatasetLimits limits, CancellationToken cancellationToken)
    {
        // Parquet keeps its index at the end of the file, so the bytes go to a temporary file first (hashed on the way).
        var path = Path.Combine(Path.GetTempPath(), $"dataset-{Guid.NewGuid():N}.parquet");
        await using var copy = new FileStream(path, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, 81920,
            FileOptions.Asynchronous | FileOptions.DeleteOnClose);
        await using (var limited = Limited(hashing, fileName, "is larger than", limits))
        {
            await limited.CopyToAsync(copy, cancellationToken).ConfigureAwait(false);
        }

        copy.Position = 0;
        return await ParquetDatasetReader.ReadAsync(copy, fileName, limits, cancellationToken).ConfigureAwait(false);
    }

    private static ByteLimitStream Limited(Stream inner, string fileName, string verb, DatasetLimits limits) =>
        new(inner, limits.MaxUncompressedBytes, () => new DatasetFormatException(fileName,
            $"{verb} {DatasetLimits.Format(limits.MaxUncompressedBytes)} bytes, the limit (setting {DatasetLimits.Setting(nameof(DatasetLimits.MaxUncompressedBytes))}); it was refused while being read"));
}
