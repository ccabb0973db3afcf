using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;
using Serverless.Domain.Datasets;
using Serverless.Domain.Models;
using Serverless.Orchestrations.Scoring;
using Xunit;

namespace Serverless.Functions.Serving.Tests;

public sealed class ScoringCsvTests
{
    [Fact]
    public void Record_ends_ignore_newlines_inside_quotes_and_span_buffers()
    {
        var bytes = Encoding.UTF8.GetBytes("a,b\n1,\"x\ny\"\n2,z\n");
        var ends = new List<long>();
        var boundaries = new CsvRowBoundaries();
        foreach (var piece in bytes.Chunk(3))
        {
            boundaries.Feed(piece, ends.Add);
        }

        Assert.Equal([4L, 12L, 16L], ends);
        Assert.Equal(bytes.Length, boundaries.Position);
    }

    [Fact]
    public async Task One_pass_hashes_the_input_and_cuts_it_into_chunks_of_whole_records()
    {
        var text = "\uFEFFx,\"note\"\r\n1,\"a\nb\"\r\n2,c\n\n3,\"d,e\"\n4,f";
        var bytes = Encoding.UTF8.GetBytes(text);
        var scanner = new ScoringInputScanner(Options.Create(new BatchScoringOptions { ChunkRows = 2 }));

        // Three bytes per read, so records and the header span reads.
        await using var stream = new ThreeBytesPerRead(bytes);
        var scan = await scanner.ScanAsync(stream, CancellationToken.None);

        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(bytes)), scan.ContentHash);
        Assert.Equal(["x", "note"], scan.Layout.Header);
        Assert.Equal(5, scan.Layout.Rows);
        var headerEnd = Encoding.UTF8.GetByteCount("\uFEFFx,\"note\"\r\n");
        var secondChunk = Encoding.UTF8.GetByteCount(text[..(text.IndexOf("\n\n", StringComparison.Ordinal) + 1)]);
        var thirdChunk = Encoding.UTF8.GetByteCount(text[..(text.IndexOf("4,f", StringComparison.Ordinal))]);
        Assert.Equal(
            [new ScoringChunk(0, headerEnd, secondChunk, 1, 2), new ScoringChunk(1, secondChunk, thirdChunk, 3, 2), new ScoringChunk(2, thirdChunk, bytes.Length, 5, 1)],
            scan.Layout.Chunks);
    }

    [Fact]
    public void Fields_split_and_join_with_quoting()
    {
        Assert.Equal(["1", "a,b", "say \"hi\"", ""], CsvRecord.Split("1,\"a,b\",\"say \"\"hi\"\"\",\r"));
        Assert.Equal("1,\"a,b\",\"say \"\"hi\"\"\",", CsvRecord.Join(["1", "a,b", "say \"hi\"", ""]));
    }

    [Fact]
    public void A_bad_cell_refuses_its_row_naming_the_column_and_keeps_the_others()
    {
        var signature = new ModelSignature(TaskKind.Binary, "y", [new SignatureInput("x", ColumnKind.Numeric), new SignatureInput("flag", ColumnKind.Boolean), new SignatureInput("city", ColumnKind.Categorical)], ["no", "yes"]);
        var builder = new ScoringFrameBuilder(signature, ["city", "x", "flag", "extra"]);
        Assert.Null(builder.TryAdd(["paris", "1.5", "true", "ignored"]));
        Assert.Equal("x", builder.TryAdd(["rome", "abc", "0", ""])?.Column);
        Assert.Equal("flag", builder.TryAdd(["rome", "2", "maybe", ""])?.Column);
        Assert.Null(builder.TryAdd(["", "", "", ""]));
        var frame = builder.Build();
        Assert.Equal(2, frame.RowCount);
        Assert.Equal([1.5, double.NaN], ((NumericColumn)frame["x"]).Values);
        Assert.Equal(new string?[] { "paris", null }, ((TextColumn)frame["city"]).Values.ToArray());
    }

    [Fact]
    public void An_unquoted_record_read_in_place_scores_like_its_split_fields()
    {
        var signature = new ModelSignature(TaskKind.Binary, "y", [new SignatureInput("x", ColumnKind.Numeric), new SignatureInput("flag", ColumnKind.Boolean), new SignatureInput("city", ColumnKind.Categorical)], ["no", "yes"]);
        var header = new[] { "city", "x", "flag", "extra" };
        var inPlace = new ScoringFrameBuilder(signature, header);
        var split = new ScoringFrameBuilder(signature, header);
        var ranges = new Range[inPlace.MaxPosition + 2];
        foreach (var record in new[] { "paris,1.5,true,ignored,more", "rome,abc,0,", "rome,2,maybe,", ",,,", "oslo,-3e2", "lima, 7 ,1,x", "zürich,1e400,1", "kraków,+4.5,FALSE" })
        {
            var bytes = Encoding.UTF8.GetBytes(record);
            var count = CsvRecord.SplitUnquoted(bytes, ranges);
            Assert.Equal(split.TryAdd(record.Split(',')), inPlace.TryAdd(bytes, ranges.AsSpan(0, count)));
        }

        var (a, b) = (inPlace.Build(), split.Build());
        Assert.Equal(5, a.RowCount);
        Assert.Equal(((NumericColumn)b["x"]).Values, ((NumericColumn)a["x"]).Values);
        Assert.Equal([1.5, double.NaN, -300, 7, 4.5], ((NumericColumn)a["x"]).Values);
        Assert.Equal(new string?[] { "paris", null, "oslo", "lima", "kraków" }, ((TextColumn)a["city"]).Values.ToArray());
        Assert.Equal(((NumericColumn)b["flag"]).Values, ((NumericColumn)a["flag"]).Values);
        Assert.Equal(((TextColumn)b["city"]).Values.ToArray(), ((TextColumn)a["city"]).Values.ToArray());
    }

    [Fact]
    public void Unquoted_utf8_records_split_like_strings_with_the_rest_in_the_last_range()
    {
        var ranges = new Range[3];
        foreach (var record in new[] { "a,b", "a,b,c,d,e", ",,", "single", "x,,y" })
        {
            var bytes = Encoding.UTF8.GetBytes(record);
            var count = CsvRecord.SplitUnquoted(bytes, ranges);
            var expected = record.Split(',', 3);
            Assert.Equal(expected, ranges[..count].Select(r => Encoding.UTF8.GetString(bytes[r])));
        }
    }

    [Fact]
    public void A_header_without_a_model_column_is_refused_by_name()
    {
        var signature = new ModelSignature(TaskKind.Regression, "y", [new SignatureInput("x", ColumnKind.Numeric)]);
        var error = Assert.Throws<ArgumentException>(() => new ScoringFrameBuilder(signature, ["z"]));
        Assert.Contains("x", error.Message, StringComparison.Ordinal);
    }

    private sealed class ThreeBytesPerRead(byte[] bytes) : MemoryStream(bytes)
    {
        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            base.ReadAsync(buffer[..Math.Min(3, buffer.Length)], cancellationToken);
    }
}
