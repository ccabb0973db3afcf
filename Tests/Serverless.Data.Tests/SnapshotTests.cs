using Serverless.Data.Snapshots;
using Serverless.Domain.Datasets;
using Serverless.Domain.Projects;

namespace Serverless.Data.Tests;

public sealed class SnapshotTests
{
    [Theory]
    [InlineData("pima2.csv", "diabetes")]
    [InlineData("servo.csv", "Class")]
    public async Task Snapshot_round_trips_every_value_kind_and_missing_value(string file, string label)
    {
        var frame = (await Ingest.SharedAsync(file, new ProjectSpec { Label = label })).Frame;
        using var stream = new MemoryStream();
        await TabularFrameSerializer.WriteAsync(stream, frame);
        stream.Position = 0;

        var copy = await TabularFrameSerializer.ReadAsync(stream);

        Assert.Equal(frame.Schema, copy.Schema);
        Assert.Equal(frame.RowCount, copy.RowCount);
        foreach (var column in frame.Columns)
        {
            for (var row = 0; row < frame.RowCount; row++)
            {
                Assert.Equal(column.IsMissing(row), copy[column.Name].IsMissing(row));
                Assert.Equal(column.Format(row), copy[column.Name].Format(row));
            }
        }
    }

    [Fact]
    public async Task Large_text_values_and_many_rows_cross_block_boundaries()
    {
        var big = new string('x', 200_000);
        var frame = new TabularFrame(
        [
            new NumericColumn("n", Enumerable.Range(0, 50_000).Select(i => i * 0.5).ToArray()),
            new TextColumn("t", ColumnKind.Text, Enumerable.Range(0, 50_000).Select(i => i == 7 ? big : i % 5 == 0 ? null : $"v{i % 9}").ToArray()),
        ]);
        using var stream = new MemoryStream();
        await TabularFrameSerializer.WriteAsync(stream, frame);
        stream.Position = 0;
        var copy = await TabularFrameSerializer.ReadAsync(stream);
        Assert.Equal(((NumericColumn)frame["n"]).Values, ((NumericColumn)copy["n"]).Values);
        Assert.Equal<string?>(((TextColumn)frame["t"]).Values.AsEnumerable(), ((TextColumn)copy["t"]).Values.AsEnumerable());
    }

    [Fact]
    public async Task Truncated_or_foreign_bytes_are_rejected()
    {
        var frame = new TabularFrame([new NumericColumn("n", [1, 2, 3])]);
        using var stream = new MemoryStream();
        await TabularFrameSerializer.WriteAsync(stream, frame);
        var bytes = stream.ToArray();

        await Assert.ThrowsAsync<InvalidDataException>(() => TabularFrameSerializer.ReadAsync(new MemoryStream(bytes[..^6])));
        await Assert.ThrowsAsync<InvalidDataException>(() => TabularFrameSerializer.ReadAsync(new MemoryStream("nope, not a frame"u8.ToArray())));
        bytes[4] = 9;
        var version = await Assert.ThrowsAsync<InvalidDataException>(() => TabularFrameSerializer.ReadAsync(new MemoryStream(bytes)));
        Assert.Contains("version 9", version.Message);
    }
}
