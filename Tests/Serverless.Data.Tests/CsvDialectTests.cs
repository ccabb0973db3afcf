using System.Text;
using Serverless.Domain.Datasets;

namespace Serverless.Data.Tests;

public sealed class CsvDialectTests
{
    private const string Plain = "name,score,label\nann,1.5,yes\nbob,2.5,no\ncy,3.5,yes\n";

    [Theory]
    [InlineData(';')]
    [InlineData('\t')]
    [InlineData(',')]
    public async Task Delimiter_is_detected(char delimiter)
    {
        var result = await Ingest.TextAsync(Plain.Replace(',', delimiter));
        Assert.Equal(["name", "score", "label"], result.Frame.Columns.Select(c => c.Name));
        Assert.Equal([1.5, 2.5, 3.5], ((NumericColumn)result.Frame["score"]).Values);
    }

    [Fact]
    public async Task Tsv_extension_reads_tabs_even_with_commas_in_values()
    {
        var result = await Ingest.TextAsync("a\tb\n1,5\t2\n3,5\t4\n", "data.tsv");
        Assert.Equal<string?>(["1,5", "3,5"], ((TextColumn)result.Frame["a"]).Values.AsEnumerable());
    }

    [Fact]
    public async Task Byte_order_mark_is_not_part_of_the_first_name()
    {
        var bytes = Encoding.UTF8.GetPreamble().Concat(Encoding.UTF8.GetBytes(Plain)).ToArray();
        var result = await Ingest.BytesAsync(bytes, "bom.csv");
        Assert.Equal("name", result.Frame.Columns[0].Name);
    }

    [Fact]
    public async Task Quoted_fields_hold_delimiters_quotes_and_line_breaks()
    {
        var csv = "id,note,label\r\n1,\"a, b\",x\r\n2,\"say \"\"hi\"\"\",y\r\n3,\"two\nlines\",x\r\n4,plain,y";
        var result = await Ingest.TextAsync(csv);
        Assert.Equal(4, result.RowCount);
        Assert.Equal<string?>(["a, b", "say \"hi\"", "two\nlines", "plain"], ((TextColumn)result.Frame["note"]).Values.AsEnumerable());
    }

    [Fact]
    public async Task Line_numbers_count_line_breaks_inside_quotes()
    {
        var csv = "a,b\n1,\"x\ny\"\n2\n";
        var error = await Assert.ThrowsAsync<Serverless.Data.Reading.DatasetFormatException>(() => Ingest.TextAsync(csv));
        Assert.Equal(4, error.Line);
    }

    [Fact]
    public async Task Gzip_reads_the_same_as_plain_text_and_hashes_the_compressed_bytes()
    {
        var plain = await Ingest.TextAsync(Plain);
        var gzipBytes = Ingest.Gzip(Encoding.UTF8.GetBytes(Plain));
        var zipped = await Ingest.BytesAsync(gzipBytes, "data.csv.gz");
        Assert.Equal(plain.Schema, zipped.Schema);
        Assert.Equal(((NumericColumn)plain.Frame["score"]).Values, ((NumericColumn)zipped.Frame["score"]).Values);
        Assert.Equal(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(gzipBytes)), zipped.ContentHash);
        Assert.NotEqual(plain.ContentHash, zipped.ContentHash);
    }

    [Fact]
    public async Task Missing_value_tokens_are_missing_in_any_case()
    {
        var result = await Ingest.TextAsync("x,y\n1,a\nNA,b\nn/a,a\nNULL,b\nnan,a\n?,b\n,a\n2,b\n");
        var x = Assert.IsType<NumericColumn>(result.Frame["x"]);
        Assert.Equal(6, x.Values.Count(double.IsNaN));
    }

    [Fact]
    public async Task Booleans_datetimes_text_and_quote_all_files_are_typed()
    {
        var rows = Enumerable.Range(0, 60).Select(i =>
            $"\"{(i % 2 == 0 ? "yes" : "no")}\",\"2024-01-{i % 28 + 1:00}T10:00:00Z\",\"comment number {i}\",\"{i * 1.5}\",\"{(i % 3 == 0 ? "a" : "b")}\"");
        var result = await Ingest.TextAsync("\"flag\",\"when\",\"note\",\"amount\",\"label\"\n" + string.Join("\n", rows));
        Assert.Equal(ColumnKind.Boolean, result.Schema.Find("flag")!.Kind);
        Assert.Equal(ColumnKind.DateTime, result.Schema.Find("when")!.Kind);
        Assert.Equal(ColumnKind.Text, result.Schema.Find("note")!.Kind);
        Assert.Equal(ColumnKind.Numeric, result.Schema.Find("amount")!.Kind);
        Assert.Equal(["flag", "amount"], result.Features);
        Assert.Equal(1, ((NumericColumn)result.Frame["flag"]).Values[0]);
    }

    [Fact]
    public async Task Repeated_strings_are_one_instance()
    {
        var result = await Ingest.TextAsync(Ingest.Churn(50));
        var plan = (TextColumn)result.Frame["plan"];
        Assert.Same(plan.Values[1], plan.Values[2]);
    }
}
