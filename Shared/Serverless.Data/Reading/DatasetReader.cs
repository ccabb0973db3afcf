using System.IO.Compression;

namespace Serverless.Data.Reading;

/// <summary>
/// Reads an uploaded dataset (CSV, CSV.gz, TSV, Parquet) from a stream into raw columns, computing the SHA-256
/// of the uploaded bytes (compressed bytes for .gz) as they pass.
/// </summary>
public static class DatasetReader
{
    /// <exception cref="DatasetFormatException">The file cannot be read; the message names the file, line and column.</exception>
    public static async Task<RawDataset> ReadAsync(Stream stream, string fileName, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(stream);
        var (format, gzip) = DatasetFileFormats.FromFileName(fileName);
        using var hashing = new HashingStream(stream);
        var (columns, rows) = format == DatasetFileFormat.Parquet
            ? await ReadParquetAsync(hashing, fileName, cancellationToken).ConfigureAwait(false)
            : await ReadTextAsync(hashing, fileName, gzip, format == DatasetFileFormat.Tsv ? '\t' : null, cancellationToken).ConfigureAwait(false);
        var hash = await hashing.CompleteAsync(cancellationToken).ConfigureAwait(false);
        return new RawDataset(fileName, hash, hashing.BytesRead, rows, columns);
    }

    private static async Task<(IReadOnlyList<RawColumn>, int)> ReadTextAsync(
        HashingStream hashing, string fileName, bool gzip, char? delimiter, CancellationToken cancellationToken)
    {
        if (!gzip)
        {
            return await CsvDatasetReader.ReadAsync(hashing, fileName, delimiter, cancellationToken).ConfigureAwait(false);
        }

        try
        {
            await using var unzipped = new GZipStream(hashing, CompressionMode.Decompress, leaveOpen: true);
            return await CsvDatasetReader.ReadAsync(unzipped, fileName, delimiter, cancellationToken).ConfigureAwait(false);
        }
        catch (InvalidDataException e)
        {
            throw new DatasetFormatException(fileName, $"is not valid gzip data: {e.Message}", inner: e);
        }
    }

    private static async Task<(IReadOnlyList<RawColumn>, int)> ReadParquetAsync(HashingStream hashing, string fileName, CancellationToken cancellationToken)
    {
        // Parquet keeps its index at the end of the file, so the bytes go to a temporary file first (hashed on the way).
        var path = Path.Combine(Path.GetTempPath(), $"dataset-{Guid.NewGuid():N}.parquet");
        await using var copy = new FileStream(path, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, 81920,
            FileOptions.Asynchronous | FileOptions.DeleteOnClose);
        await hashing.CopyToAsync(copy, cancellationToken).ConfigureAwait(false);
        copy.Position = 0;
        return await ParquetDatasetReader.ReadAsync(copy, fileName, cancellationToken).ConfigureAwait(false);
    }
}
