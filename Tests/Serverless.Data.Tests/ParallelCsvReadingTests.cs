using System.Globalization;
using System.Text;
using System.Text.Json;
using Serverless.Data.Reading;
using Serverless.Domain.Projects;

namespace Serverless.Data.Tests;

/// <summary>
/// A local CSV read in row blocks on several threads gives exactly the columns (numbers, strings, missing values, the
/// text of numbers in mixed columns) and the errors that reading it in order gives. Blocks are made tiny here so small
/// files split into many.
/// </summary>
public sealed class ParallelCsvReadingTests : IDisposable
{
    private const long TinyBlock = 256;
    private readonly string _folder = Directory.CreateTempSubdirectory("parallel-csv-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Theory]
    [InlineData("wine.csv")]
    [InlineData("diabetes.csv")]
    public async Task Real_datasets_read_in_blocks_as_in_order(string file)
    {
        var bytes = await File.ReadAllBytesAsync(Serverless.Testing.SharedData.PathOf(file));
        await AssertBlocksReadAsInOrderAsync(bytes, file);
    }

    [Theory]
    [InlineData("servo.csv")]
    [InlineData("pima2.csv")]
    public async Task Real_datasets_with_quotes_are_read_in_order(string file)
    {
        var bytes = await File.ReadAllBytesAsync(Serverless.Testing.SharedData.PathOf(file));
        Assert.Null(TryReadInBlocks(bytes, file));
        AssertSame(await InOrderAsync(bytes, file), await ReadLocalAsync(bytes, file));
    }

    [Fact]
    public async Task A_file_with_quotes_is_read_in_order_with_its_line_breaks_inside_quotes()
    {
        var quoted = new StringBuilder("id,note,label\r\n");
        for (var i = 0; i < 400; i++)
        {
            quoted.Append(CultureInfo.InvariantCulture, $"{i},{(i == 300 ? "\"two\nlines, \"\"quoted\"\"\"" : "plain " + (i % 7))},{(i % 2 == 0 ? "x" : "y")}\r\n");
        }

        var bytes = Encoding.UTF8.GetBytes(quoted.ToString());
        Assert.Null(TryReadInBlocks(bytes, "quoted.csv"));
        var read = await ReadLocalAsync(bytes, "quoted.csv");
        Assert.Equal("two\nlines, \"quoted\"", read.Columns[1].Texts![300]);
        AssertSame(await InOrderAsync(bytes, "quoted.csv"), read);
    }

    [Theory]
    [InlineData("\n", true)]
    [InlineData("\r\n", true)]
    [InlineData("\n", false)]
    [InlineData("\r\n", false)]
    public async Task Line_ends_byte_order_mark_blank_lines_and_a_missing_last_line_break_read_as_in_order(string lineEnd, bool byteOrderMark)
    {
        var text = new StringBuilder();
        text.Append("x,  name ,flag,label").Append(lineEnd);
        for (var i = 0; i < 3000; i++)
        {
            text.Append(CultureInfo.InvariantCulture, $"{(i % 11 == 0 ? "NA" : (i * 0.25).ToString(CultureInfo.InvariantCulture))}, n{i % 5} ,{(i % 3 == 0 ? "" : "1.50")},{(i % 2 == 0 ? "yes" : "no")}");
            text.Append(i == 2999 ? string.Empty : lineEnd);
            if (i % 500 == 7)
            {
                text.Append(lineEnd); // a blank line
            }
        }

        var bytes = Encoding.UTF8.GetBytes(text.ToString());
        if (byteOrderMark)
        {
            bytes = [.. Encoding.UTF8.GetPreamble(), .. bytes];
        }

        await AssertBlocksReadAsInOrderAsync(bytes, "ends.csv");
    }

    [Fact]
    public async Task Mixed_columns_keep_the_text_of_numbers_read_after_their_first_string()
    {
        // 'code' is numbers until row 2000 (a later block), then one string, then numbers written with trailing zeros;
        // 'late' turns to strings in the middle of the last rows; 'early' holds a string in its first row.
        var text = new StringBuilder("code,late,early,label\n");
        for (var i = 0; i < 4000; i++)
        {
            var written = i == 2000 ? "A7" : (i % 13).ToString(CultureInfo.InvariantCulture) + ".50";
            var late = i == 3900 ? "unknown" : (i * 3).ToString(CultureInfo.InvariantCulture);
            var early = i == 0 ? "first" : (i % 4).ToString(CultureInfo.InvariantCulture) + ".0";
            text.Append(CultureInfo.InvariantCulture, $"{written},{late},{early},{i % 2}\n");
        }

        var bytes = Encoding.UTF8.GetBytes(text.ToString());
        var read = await AssertBlocksReadAsInOrderAsync(bytes, "mixed.csv");
        var code = read.Columns[0].Texts!;
        Assert.Equal("9.5", code[1998]); // before the string: the number's round-trip text, as the switch makes it
        Assert.Equal("A7", code[2000]);
        Assert.Equal("12.50", code[2001]); // after it: as written
        Assert.Equal("0.0", read.Columns[2].Texts![4]);
    }

    [Fact]
    public async Task A_ragged_row_in_a_later_block_is_reported_at_the_same_line_and_row_as_in_order()
    {
        var lines = Ingest.Churn(3000).Split('\n');
        lines[2500] += ",extra";
        var bytes = Encoding.UTF8.GetBytes(string.Join('\n', lines));
        Assert.Null(TryReadInBlocks(bytes, "ragged.csv"));
        var inOrder = await Assert.ThrowsAsync<DatasetFormatException>(() => InOrderAsync(bytes, "ragged.csv"));
        var local = await Assert.ThrowsAsync<DatasetFormatException>(() => ReadLocalAsync(bytes, "ragged.csv"));
        Assert.Equal(inOrder.Message, local.Message);
        Assert.Equal(2501, local.Line);
        Assert.Contains("row 2500 has 5 fields", local.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_row_limit_crossed_across_blocks_is_reported_as_in_order()
    {
        var bytes = Encoding.UTF8.GetBytes(Ingest.Churn(3000));
        var limits = DatasetLimits.Default with { MaxRows = 2500 };
        Assert.Null(TryReadInBlocks(bytes, "many.csv", limits));
        var inOrder = await Assert.ThrowsAsync<DatasetFormatException>(async () =>
        {
            using var stream = new MemoryStream(bytes);
            await DatasetReader.ReadAsync(stream, "many.csv", limits, CancellationToken.None);
        });
        var path = await WriteAsync(bytes, "many.csv");
        var local = await Assert.ThrowsAsync<DatasetFormatException>(() => DatasetReader.ReadLocalFileAsync(path, "many.csv", "hash", limits, 4, TinyBlock, CancellationToken.None));
        Assert.Equal(inOrder.Message, local.Message);
        Assert.Contains("2,500 data rows", local.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_bad_value_is_reported_with_the_same_row_and_column_after_reading_in_blocks()
    {
        var bytes = Encoding.UTF8.GetBytes(Ingest.Churn(3000, i => i == 2345 ? "old" : (20 + (i % 50)).ToString(CultureInfo.InvariantCulture)));
        var spec = new ProjectSpec
        {
            Label = "churned",
            Validation = new ValidationSpec { Columns = new Dictionary<string, ColumnExpectation> { ["age"] = new() { Type = "number" } } },
        };
        var ingestion = new DatasetIngestion();
        var inOrder = ingestion.Ingest(await InOrderAsync(bytes, "churn.csv"), spec, null);
        var blocks = ingestion.Ingest(await AssertBlocksReadAsInOrderAsync(bytes, "churn.csv"), spec, null);

        var mismatch = Assert.Single(blocks.Report.Errors, e => e.Column == "age");
        Assert.Equal([2346], mismatch.ExampleRows);
        Assert.Equal(JsonSerializer.Serialize(inOrder.Report), JsonSerializer.Serialize(blocks.Report));
        Assert.Equal(JsonSerializer.Serialize(inOrder.Profile), JsonSerializer.Serialize(blocks.Profile));
    }

    /// <summary>Reads <paramref name="bytes"/> in blocks (which must apply) and in order, and requires the same columns.</summary>
    private async Task<RawDataset> AssertBlocksReadAsInOrderAsync(byte[] bytes, string fileName)
    {
        var blocks = TryReadInBlocks(bytes, fileName);
        Assert.NotNull(blocks);
        var inOrder = await InOrderAsync(bytes, fileName);
        var read = new RawDataset(fileName, inOrder.ContentHash, bytes.Length, blocks.Value.Rows, blocks.Value.Columns);
        AssertSame(inOrder, read);
        return read;
    }

    private static void AssertSame(RawDataset expected, RawDataset actual)
    {
        Assert.Equal(expected.RowCount, actual.RowCount);
        Assert.Equal(expected.Columns.Select(c => c.Name), actual.Columns.Select(c => c.Name));
        for (var c = 0; c < expected.Columns.Count; c++)
        {
            Assert.Equal(expected.Columns[c].Numbers, actual.Columns[c].Numbers);
            Assert.Equal(expected.Columns[c].Texts, actual.Columns[c].Texts);
        }
    }

    private (IReadOnlyList<RawColumn> Columns, int Rows)? TryReadInBlocks(byte[] bytes, string fileName, DatasetLimits? limits = null)
    {
        var path = Path.Combine(_folder, Guid.NewGuid().ToString("N") + "-" + fileName);
        File.WriteAllBytes(path, bytes);
        return ParallelCsvReader.TryRead(path, fileName, null, limits ?? DatasetLimits.Default, 4, TinyBlock, CancellationToken.None);
    }

    private static async Task<RawDataset> InOrderAsync(byte[] bytes, string fileName)
    {
        using var stream = new MemoryStream(bytes);
        return await DatasetReader.ReadAsync(stream, fileName, CancellationToken.None);
    }

    private async Task<RawDataset> ReadLocalAsync(byte[] bytes, string fileName) =>
        await DatasetReader.ReadLocalFileAsync(await WriteAsync(bytes, fileName), fileName, "hash", DatasetLimits.Default, 4, TinyBlock, CancellationToken.None);

    private async Task<string> WriteAsync(byte[] bytes, string fileName)
    {
        var path = Path.Combine(_folder, Guid.NewGuid().ToString("N") + "-" + fileName);
        await File.WriteAllBytesAsync(path, bytes);
        return path;
    }
}
