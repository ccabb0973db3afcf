using System.IO.Compression;
using System.Text;
using Serverless.Data;
using Serverless.Domain.Datasets;
using Serverless.Domain.Projects;

namespace Serverless.Data.Tests;

/// <summary>Runs the real ingestion over text or bytes held in the test.</summary>
internal static class Ingest
{
    public static Task<DatasetIngestionResult> TextAsync(string csv, string fileName = "data.csv", ProjectSpec? spec = null, DatasetSchema? previous = null) =>
        BytesAsync(Encoding.UTF8.GetBytes(csv), fileName, spec, previous);

    public static async Task<DatasetIngestionResult> BytesAsync(byte[] bytes, string fileName, ProjectSpec? spec = null, DatasetSchema? previous = null)
    {
        using var stream = new MemoryStream(bytes);
        return await new DatasetIngestion().IngestAsync(stream, fileName, spec ?? ProjectSpec.Default, previous, CancellationToken.None);
    }

    public static async Task<DatasetIngestionResult> SharedAsync(string file, ProjectSpec? spec = null)
    {
        await using var stream = File.OpenRead(Serverless.Testing.SharedData.PathOf(file));
        return await new DatasetIngestion().IngestAsync(stream, file, spec ?? ProjectSpec.Default, null, CancellationToken.None);
    }

    public static byte[] Gzip(byte[] bytes)
    {
        using var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.Fastest, leaveOpen: true))
        {
            gzip.Write(bytes);
        }

        return output.ToArray();
    }

    /// <summary>A small valid dataset: numeric age, categorical plan, yes/no label.</summary>
    public static string Churn(int rows, Func<int, string>? age = null)
    {
        var text = new StringBuilder("age,plan,visits,churned\n");
        for (var i = 0; i < rows; i++)
        {
            text.Append(age?.Invoke(i) ?? (20 + (i * 7 % 50)).ToString(System.Globalization.CultureInfo.InvariantCulture))
                .Append(',').Append(i % 3 == 0 ? "pro" : "free")
                .Append(',').Append((i * 13 % 17).ToString(System.Globalization.CultureInfo.InvariantCulture))
                .Append(',').Append(i % 4 == 0 ? "yes" : "no").Append('\n');
        }

        return text.ToString();
    }
}
