using Serverless.Data.Reading;
using Serverless.Data.Writing;

namespace Serverless.Data.Tests;

/// <summary>Raw columns written as CSV read back as the same columns: numbers stay numbers, codes stay text, missing stays missing.</summary>
public sealed class CsvWriterTests
{
    [Fact]
    public async Task Written_columns_read_back_unchanged()
    {
        RawColumn[] columns =
        [
            RawColumn.OfNumbers("score", [1.5, double.NaN, -2e-7, 123456789.25]),
            RawColumn.OfTexts("note, with comma", ["plain", "has,comma", "has \"quote\"", null]),
            RawColumn.OfTexts("code", ["5", "007", " padded ", "line\nbreak"]),
            RawColumn.OfTexts("label", ["yes", "no", "yes", "no"]),
        ];

        var read = await RoundTripAsync(columns);

        Assert.Equal(4, read.RowCount);
        Assert.Equal(columns.Select(c => c.Name), read.Columns.Select(c => c.Name));
        Assert.Equal(columns[0].Numbers, read.Columns[0].Numbers);
        Assert.Equal(columns[1].Texts, read.Columns[1].Texts);
        Assert.Null(read.Columns[2].Numbers);
        Assert.Equal(columns[2].Texts, read.Columns[2].Texts);
        Assert.Equal(columns[3].Texts, read.Columns[3].Texts);
    }

    [Fact]
    public async Task Columns_of_different_lengths_are_refused_naming_the_column()
    {
        using var stream = new MemoryStream();
        var error = await Assert.ThrowsAsync<ArgumentException>(() => CsvDatasetWriter.WriteAsync(
            [RawColumn.OfNumbers("a", [1, 2]), RawColumn.OfTexts("b", ["x"])], stream, CancellationToken.None));
        Assert.Contains("'b'", error.Message, StringComparison.Ordinal);
    }

    private static async Task<RawDataset> RoundTripAsync(IReadOnlyList<RawColumn> columns)
    {
        using var stream = new MemoryStream();
        await CsvDatasetWriter.WriteAsync(columns, stream, CancellationToken.None);
        stream.Position = 0;
        return await DatasetReader.ReadAsync(stream, "written.csv", CancellationToken.None);
    }
}
