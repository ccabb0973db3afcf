using System.Text;
using Serverless.Data.Reading;
using Serverless.Domain.Projects;

namespace Serverless.Data.Tests;

/// <summary>Uploads that would take a host's memory are refused with the limit and its setting named (default limits).</summary>
public sealed class IngestionLimitTests
{
    [Fact]
    public async Task A_100_MB_field_is_refused_naming_its_row_and_column_without_holding_it()
    {
        var prefix = Encoding.UTF8.GetBytes("id,notes,label\n1,short,yes\n2,\"");
        var suffix = Encoding.UTF8.GetBytes("\",no\n");
        await using var stream = new GeneratedStream(prefix, "x"u8.ToArray(), 100L * 1024 * 1024, suffix);
        var before = GC.GetAllocatedBytesForCurrentThread();

        var error = await Assert.ThrowsAsync<DatasetFormatException>(() =>
            new DatasetIngestion().IngestAsync(stream, "huge-field.csv", ProjectSpec.Default, null, CancellationToken.None));

        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal("notes", error.Column);
        Assert.Equal(3, error.Line);
        Assert.Contains("huge-field.csv", error.Message, StringComparison.Ordinal);
        Assert.Contains("row 2", error.Message, StringComparison.Ordinal);
        Assert.Contains("1,048,576 characters", error.Message, StringComparison.Ordinal);
        Assert.Contains("Datasets:Limits:MaxFieldLength", error.Message, StringComparison.Ordinal);
        Assert.True(stream.Position < stream.Length / 10, $"read {stream.Position} of {stream.Length} bytes before refusing");
        Assert.True(allocated < 32L * 1024 * 1024, $"allocated {allocated / 1e6:F0} MB for a 100 MB field");
    }

    [Fact]
    public async Task Ten_thousand_columns_are_refused_naming_the_limit()
    {
        var header = string.Join(',', Enumerable.Range(0, 10_000).Select(i => $"c{i}"));
        var row = string.Join(',', Enumerable.Range(0, 10_000).Select(i => "1"));

        var error = await Assert.ThrowsAsync<DatasetFormatException>(() => Ingest.TextAsync($"{header}\n{row}\n", "wide.csv"));

        Assert.Equal(1, error.Line);
        Assert.Contains("wide.csv", error.Message, StringComparison.Ordinal);
        Assert.Contains("more than 2,000 columns", error.Message, StringComparison.Ordinal);
        Assert.Contains("Datasets:Limits:MaxColumns", error.Message, StringComparison.Ordinal);
    }
}
