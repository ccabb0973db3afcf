using System.Globalization;
using System.Text;
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
    public async Task Decimal_columns_are_stored_in_half_the_bytes_and_read_back_bit_for_bit()
    {
        const int Rows = 20_000;
        var random = new Random(3);
        var csvLike = Enumerable.Range(0, Rows).Select(i => i % 97 == 0 ? double.NaN : i % 89 == 0 ? -0.0 : double.Parse((random.NextDouble() * 8 - 4).ToString("F4", CultureInfo.InvariantCulture), CultureInfo.InvariantCulture)).ToArray();
        var counts = Enumerable.Range(0, Rows).Select(i => (double)(i % 1000 * 1000)).ToArray();
        var wide = Enumerable.Range(0, Rows).Select(i => i == 5 ? 3e12 : i * 0.5).ToArray(); // beyond int32 once: stays doubles
        var thirds = Enumerable.Range(0, Rows).Select(i => i / 3.0).ToArray(); // no decimal form: stays doubles
        var frame = new TabularFrame([new NumericColumn("x", csvLike), new NumericColumn("n", counts), new NumericColumn("w", wide), new NumericColumn("t", thirds)]);

        using var stream = new MemoryStream();
        await TabularFrameSerializer.WriteAsync(stream, frame);
        stream.Position = 0;
        var copy = await TabularFrameSerializer.ReadAsync(stream);

        foreach (var column in frame.Columns.Cast<NumericColumn>())
        {
            Assert.Equal(column.Values.Select(BitConverter.DoubleToInt64Bits), ((NumericColumn)copy[column.Name]).Values.Select(BitConverter.DoubleToInt64Bits));
        }

        // Two columns of 4-byte codes and two of 8-byte doubles.
        Assert.InRange(stream.Length, Rows * (4 + 4 + 8 + 8), (Rows * (4 + 4 + 8 + 8)) + 200);
    }

    [Fact]
    public async Task A_version_1_snapshot_is_still_read()
    {
        using var stream = new MemoryStream();
        using (var writer = new BinaryWriter(stream, Encoding.UTF8, leaveOpen: true))
        {
            writer.Write("SLFR"u8);
            writer.Write(1); // version
            writer.Write(3); // rows
            writer.Write(2); // columns
            writer.Write(1);
            writer.Write("n"u8);
            writer.Write((byte)ColumnKind.Numeric);
            writer.Write((byte)0);
            writer.Write(0.1);
            writer.Write(double.NaN);
            writer.Write(-2.5);
            writer.Write(1);
            writer.Write("c"u8);
            writer.Write((byte)ColumnKind.Categorical);
            writer.Write((byte)1);
            writer.Write(1); // distinct
            writer.Write(2);
            writer.Write("ab"u8);
            writer.Write(0);
            writer.Write(-1);
            writer.Write(0);
            writer.Write("END!"u8);
        }

        stream.Position = 0;
        var frame = await TabularFrameSerializer.ReadAsync(stream);
        Assert.Equal([0.1, double.NaN, -2.5], ((NumericColumn)frame["n"]).Values);
        Assert.Equal<string?>(["ab", null, "ab"], ((TextColumn)frame["c"]).Values.AsEnumerable());
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
