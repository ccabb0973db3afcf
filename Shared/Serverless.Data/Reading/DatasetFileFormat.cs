namespace Serverless.Data.Reading;

/// <summary>How an upload is read, from its file name.</summary>
public enum DatasetFileFormat
{
    /// <summary><c>.csv</c>: delimiter detected among comma, semicolon and tab.</summary>
    Csv,

    /// <summary><c>.tsv</c>, <c>.txt</c>: tab-delimited.</summary>
    Tsv,

    Parquet,
}

public static class DatasetFileFormats
{
    /// <summary>The format and whether the bytes are gzip-compressed (<c>.gz</c> suffix).</summary>
    /// <exception cref="DatasetFormatException">The extension is not one the product reads.</exception>
    public static (DatasetFileFormat Format, bool Gzip) FromFileName(string fileName)
    {
        ArgumentNullException.ThrowIfNull(fileName);
        var name = fileName.ToLowerInvariant();
        var gzip = name.EndsWith(".gz", StringComparison.Ordinal);
        if (gzip)
        {
            name = name[..^3];
        }

        return Path.GetExtension(name) switch
        {
            ".csv" => (DatasetFileFormat.Csv, gzip),
            ".tsv" or ".txt" => (DatasetFileFormat.Tsv, gzip),
            ".parquet" when !gzip => (DatasetFileFormat.Parquet, false),
            _ => throw new DatasetFormatException(fileName, "has an unsupported extension (use .csv, .csv.gz, .tsv, .txt or .parquet)"),
        };
    }
}
