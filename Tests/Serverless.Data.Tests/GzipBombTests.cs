using System.Diagnostics;
using System.IO.Compression;
using Serverless.Data.Reading;
using Serverless.Domain.Projects;
using Xunit.Abstractions;

namespace Serverless.Data.Tests;

/// <summary>
/// A small gzip that inflates to far more than the limit is refused once the limit's worth has streamed out of the
/// decompressor: the rest is never inflated and memory stays far below the inflated size. Runs alone (the
/// allocation count is process-wide).
/// </summary>
[Collection(nameof(LargeDatasetTests))]
public sealed class GzipBombTests(ITestOutputHelper output)
{
    private const long Inflated = 512L * 1024 * 1024;
    private const long Limit = 16L * 1024 * 1024;

    [Fact]
    public async Task A_gzip_bomb_is_refused_at_the_limit_without_being_inflated()
    {
        var bomb = await GzipAsync(new GeneratedStream("id,city,label\n"u8.ToArray(), "1,springfield-north,yes\n"u8.ToArray(), Inflated, []));
        var ingestion = new DatasetIngestion(new DatasetIngestionOptions { Limits = new DatasetLimits { MaxUncompressedBytes = Limit } });
        await using var upload = new MemoryStream(bomb, writable: false);
        GC.Collect();
        var allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
        var clock = Stopwatch.StartNew();

        var error = await Assert.ThrowsAsync<DatasetFormatException>(() =>
            ingestion.IngestAsync(upload, "bomb.csv.gz", ProjectSpec.Default, null, CancellationToken.None));

        var seconds = clock.Elapsed.TotalSeconds;
        var allocated = GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore;
        output.WriteLine(FormattableString.Invariant(
            $"bomb {bomb.Length / 1e6:F1} MB inflating to {Inflated / 1e6:F0} MB; refused after reading {upload.Position / 1e6:F2} MB of it in {seconds:F2} s; {allocated / 1e6:F1} MB allocated"));
        Assert.Contains("bomb.csv.gz", error.Message, StringComparison.Ordinal);
        Assert.Contains("inflates to more than 16,777,216 bytes", error.Message, StringComparison.Ordinal);
        Assert.Contains("Datasets:Limits:MaxUncompressedBytes", error.Message, StringComparison.Ordinal);
        Assert.True(upload.Position < upload.Length / 4, $"read {upload.Position} of the bomb's {upload.Length} bytes");
        Assert.True(allocated < Inflated / 8, $"allocated {allocated / 1e6:F0} MB while refusing a {Inflated / 1e6:F0} MB bomb");
    }

    /// <summary>Compresses a stream without holding its inflated form.</summary>
    private static async Task<byte[]> GzipAsync(Stream source)
    {
        using var compressed = new MemoryStream();
        await using (var gzip = new GZipStream(compressed, CompressionLevel.Optimal, leaveOpen: true))
        {
            await source.CopyToAsync(gzip, 1 << 20);
        }

        return compressed.ToArray();
    }
}
