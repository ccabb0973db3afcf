using System.Diagnostics;
using System.Globalization;
using System.Text;
using Serverless.Data.Splitting;
using Serverless.Domain.Datasets;
using Serverless.Domain.Projects;
using Xunit.Abstractions;

namespace Serverless.Data.Tests;

/// <summary>A generated million-row file: memory stays bounded (numbers reported, only a generous bound asserted).</summary>
[Collection(nameof(LargeDatasetTests))]
public sealed class LargeDatasetTests(ITestOutputHelper output) : IDisposable
{
    private const int Rows = 1_000_000;
    private const int NumericColumns = 18;
    private readonly string _path = Path.Combine(Path.GetTempPath(), $"large-{Guid.NewGuid():N}.csv");

    [Fact]
    public async Task A_million_rows_by_twenty_columns_ingests_within_a_memory_bound()
    {
        var bytes = Generate(_path);
        GC.Collect();
        var baseline = GC.GetTotalMemory(forceFullCollection: true);
        using var sampler = new PeakMemorySampler();
        var clock = Stopwatch.StartNew();

        DatasetIngestionResult result;
        await using (var stream = new FileStream(_path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.Asynchronous | FileOptions.SequentialScan))
        {
            result = await new DatasetIngestion().IngestAsync(stream, "large.csv", new ProjectSpec { Label = "label" }, null, CancellationToken.None);
        }

        var ingestSeconds = clock.Elapsed.TotalSeconds;
        var peak = sampler.Stop() - baseline;
        var retained = GC.GetTotalMemory(forceFullCollection: true) - baseline;
        GC.KeepAlive(result);

        output.WriteLine(FormattableString.Invariant(
            $"file {bytes / 1e6:F0} MB; ingest (read+type+validate+profile) {ingestSeconds:F1} s; peak managed {peak / 1e6:F0} MB above baseline; frame retained {retained / 1e6:F0} MB; process peak working set {Process.GetCurrentProcess().PeakWorkingSet64 / 1e6:F0} MB"));
        Assert.Equal(Rows, result.RowCount);
        Assert.Equal(20, result.ColumnCount);
        Assert.True(result.Report.IsValid, string.Join("; ", result.Report.Errors.Select(e => e.Message)));
        Assert.Equal(ColumnKind.Categorical, result.Schema.Find("segment")!.Kind);
        Assert.Equal(NumericColumns, result.Schema.Columns.Count(c => c.Kind == ColumnKind.Numeric));
        Assert.True(peak < 1_000_000_000, $"peak managed memory {peak / 1e6:F0} MB");

        clock.Restart();
        var split = result.Split(new SplitSpec(0.2, 0.1, 42));
        output.WriteLine(FormattableString.Invariant($"stratified split {clock.Elapsed.TotalSeconds:F2} s"));
        Assert.Equal(Rows, split.TrainCount + split.ValidationCount + split.TestCount);
    }

    public void Dispose() => File.Delete(_path);

    private static long Generate(string path)
    {
        var random = new StableRandom(2024);
        using var writer = new StreamWriter(path, false, new UTF8Encoding(false), 1 << 16);
        var header = new StringBuilder();
        for (var c = 0; c < NumericColumns; c++)
        {
            header.Append("f").Append(c).Append(',');
        }

        writer.WriteLine(header.Append("segment,label").ToString());
        string[] segments = ["alpha", "beta", "gamma", "delta"];
        var line = new StringBuilder(256);
        for (var r = 0; r < Rows; r++)
        {
            line.Clear();
            for (var c = 0; c < NumericColumns; c++)
            {
                var value = (random.NextUInt64() % 1_000_000) / 1000.0;
                line.Append(value.ToString(CultureInfo.InvariantCulture)).Append(',');
            }

            line.Append(segments[random.NextInt(4)]).Append(',').Append(random.NextInt(3) == 0 ? "yes" : "no");
            writer.WriteLine(line);
        }

        writer.Flush();
        return writer.BaseStream.Length;
    }

    /// <summary>Samples the managed heap size every 20 ms and keeps the maximum.</summary>
    private sealed class PeakMemorySampler : IDisposable
    {
        private readonly Timer _timer;
        private long _peak;

        public PeakMemorySampler() => _timer = new Timer(_ => Sample(), null, 0, 20);

        public long Stop()
        {
            _timer.Dispose();
            Sample();
            return Interlocked.Read(ref _peak);
        }

        public void Dispose() => _timer.Dispose();

        private void Sample()
        {
            var now = GC.GetTotalMemory(forceFullCollection: false);
            long seen;
            while (now > (seen = Interlocked.Read(ref _peak)) && Interlocked.CompareExchange(ref _peak, now, seen) != seen)
            {
            }
        }
    }
}

/// <summary>Runs the memory measurement alone, so other tests' allocations do not count.</summary>
[CollectionDefinition(nameof(LargeDatasetTests), DisableParallelization = true)]
public sealed class LargeDatasetCollection;
