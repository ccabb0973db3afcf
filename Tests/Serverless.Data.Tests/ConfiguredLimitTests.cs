using System.Text;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Parquet;
using Parquet.Schema;
using Serverless.Data.Reading;
using Serverless.Domain.Projects;

namespace Serverless.Data.Tests;

/// <summary>Limits come from the <c>Datasets:Limits</c> settings through <c>AddDatasetIngestion</c> and hold for every format.</summary>
public sealed class ConfiguredLimitTests
{
    private static DatasetIngestion Configured(params (string Name, string Value)[] settings)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(settings.Select(s => new KeyValuePair<string, string?>($"Datasets:Limits:{s.Name}", s.Value)))
            .Build();
        return new ServiceCollection()
            .AddSingleton<IConfiguration>(configuration)
            .AddDatasetIngestion()
            .BuildServiceProvider()
            .GetRequiredService<DatasetIngestion>();
    }

    private static async Task<DatasetFormatException> RefusedAsync(DatasetIngestion ingestion, byte[] bytes, string fileName)
    {
        using var stream = new MemoryStream(bytes);
        return await Assert.ThrowsAsync<DatasetFormatException>(() => ingestion.IngestAsync(stream, fileName, ProjectSpec.Default, null, CancellationToken.None));
    }

    [Fact]
    public async Task Csv_rows_values_and_size_are_limited_by_their_settings()
    {
        var csv = Encoding.UTF8.GetBytes(Ingest.Churn(10));

        var rows = await RefusedAsync(Configured(("MaxRows", "5")), csv, "rows.csv");
        Assert.Equal(7, rows.Line);
        Assert.Contains("rows.csv, line 7: has more than 5 data rows", rows.Message, StringComparison.Ordinal);
        Assert.Contains("Datasets:Limits:MaxRows", rows.Message, StringComparison.Ordinal);

        var cells = await RefusedAsync(Configured(("MaxCells", "20")), csv, "cells.csv");
        Assert.Contains("more than 20 values", cells.Message, StringComparison.Ordinal);
        Assert.Contains("Datasets:Limits:MaxCells", cells.Message, StringComparison.Ordinal);

        var size = await RefusedAsync(Configured(("MaxUncompressedBytes", "100")), csv, "size.csv");
        Assert.Contains("size.csv: is larger than 100 bytes", size.Message, StringComparison.Ordinal);
        Assert.Contains("Datasets:Limits:MaxUncompressedBytes", size.Message, StringComparison.Ordinal);

        var columns = await RefusedAsync(Configured(("MaxColumns", "3")), Ingest.Gzip(csv), "columns.csv.gz");
        Assert.Contains("more than 3 columns", columns.Message, StringComparison.Ordinal);

        Assert.Equal(10, (await Ingest.TextAsync(Ingest.Churn(10))).RowCount); // within the default limits
    }

    [Fact]
    public async Task Parquet_rows_are_counted_group_by_group_and_long_strings_are_refused()
    {
        var parquet = await ParquetAsync(groups: 3, rowsPerGroup: 10, text: i => i == 27 ? new string('x', 500) : "ok");

        var rows = await RefusedAsync(Configured(("MaxRows", "25")), parquet, "rows.parquet");
        Assert.Contains("has more than 25 data rows", rows.Message, StringComparison.Ordinal);
        Assert.Contains("Datasets:Limits:MaxRows", rows.Message, StringComparison.Ordinal);

        var field = await RefusedAsync(Configured(("MaxFieldLength", "100")), parquet, "field.parquet");
        Assert.Equal("notes", field.Column);
        Assert.Contains("row 28 has a field longer than 100 characters", field.Message, StringComparison.Ordinal);

        var columns = await RefusedAsync(Configured(("MaxColumns", "2")), parquet, "columns.parquet");
        Assert.Contains("has 3 columns, more than 2", columns.Message, StringComparison.Ordinal);

        var size = await RefusedAsync(Configured(("MaxUncompressedBytes", "200")), parquet, "size.parquet");
        Assert.Contains("Datasets:Limits:MaxUncompressedBytes", size.Message, StringComparison.Ordinal);

        using var stream = new MemoryStream(parquet);
        Assert.Equal(30, (await Configured().IngestAsync(stream, "ok.parquet", ProjectSpec.Default, null, CancellationToken.None)).RowCount);
    }

    [Fact]
    public void Limits_out_of_range_name_their_setting()
    {
        var problems = new DatasetIngestionOptions { Limits = new DatasetLimits { MaxRows = 0 } }.Validate();
        Assert.Equal(["Datasets:Limits:MaxRows must be at least 1"], problems);
    }

    private static async Task<byte[]> ParquetAsync(int groups, int rowsPerGroup, Func<int, string> text)
    {
        var id = new DataField<double?>("id");
        var notes = new DataField<string>("notes");
        var label = new DataField<string>("label");
        using var stream = new MemoryStream();
        await using (var writer = await ParquetWriter.CreateAsync(new ParquetSchema(id, notes, label), stream))
        {
            for (var g = 0; g < groups; g++)
            {
                var first = g * rowsPerGroup;
                using var group = writer.CreateRowGroup();
                await group.WriteAsync<double>(id, Enumerable.Range(first, rowsPerGroup).Select(i => (double?)i).ToArray());
                await group.WriteAsync(notes, Enumerable.Range(first, rowsPerGroup).Select(text).ToArray());
                await group.WriteAsync(label, Enumerable.Range(first, rowsPerGroup).Select(i => i % 2 == 0 ? "yes" : "no").ToArray());
            }
        }

        return stream.ToArray();
    }
}
