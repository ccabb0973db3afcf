using System.Text;
using Parquet;
using Parquet.Schema;
using Serverless.Domain.Datasets;
using Serverless.Domain.Projects;

namespace Serverless.Data.Tests;

public sealed class ParquetTests
{
    [Fact]
    public async Task Parquet_reads_the_same_as_its_csv()
    {
        var csvResult = await Ingest.SharedAsync("wine.csv", new ProjectSpec { Label = "cultivar" });
        var parquet = await ToParquetAsync(csvResult.Frame);

        var parquetResult = await Ingest.BytesAsync(parquet, "wine.parquet", new ProjectSpec { Label = "cultivar" });

        Assert.Equal(csvResult.Schema, parquetResult.Schema);
        Assert.Equal(csvResult.Features, parquetResult.Features);
        Assert.Equal(csvResult.Classes, parquetResult.Classes);
        Assert.Equal(csvResult.Task, parquetResult.Task);
        foreach (var column in csvResult.Frame.Columns)
        {
            for (var row = 0; row < csvResult.RowCount; row++)
            {
                Assert.Equal(column.Format(row), parquetResult.Frame[column.Name].Format(row));
            }
        }
    }

    [Fact]
    public async Task Parquet_nulls_are_missing_and_booleans_are_boolean()
    {
        var score = new DataField<double?>("score");
        var flag = new DataField<bool?>("flag");
        var label = new DataField<string>("label");
        using var stream = new MemoryStream();
        await using (var writer = await ParquetWriter.CreateAsync(new ParquetSchema(score, flag, label), stream))
        {
            using var group = writer.CreateRowGroup();
            await group.WriteAsync<double>(score, new double?[] { 1, null, 3, 4 });
            await group.WriteAsync<bool>(flag, new bool?[] { true, false, null, true });
            await group.WriteAsync(label, new[] { "a", "b", "a", "b" });
        }

        var result = await Ingest.BytesAsync(stream.ToArray(), "x.parquet");
        Assert.True(double.IsNaN(((NumericColumn)result.Frame["score"]).Values[1]));
        Assert.Equal(ColumnKind.Boolean, result.Schema.Find("flag")!.Kind);
        Assert.Equal(["a", "b"], result.Classes);
    }

    [Fact]
    public async Task Truncated_parquet_is_rejected()
    {
        var csvResult = await Ingest.TextAsync("a,label\n1,x\n2,y\n");
        var bytes = await ToParquetAsync(csvResult.Frame);
        var truncated = bytes.Take(bytes.Length / 2).Concat(Encoding.ASCII.GetBytes("PAR1")).ToArray();
        var error = await Assert.ThrowsAsync<Serverless.Data.Reading.DatasetFormatException>(() => Ingest.BytesAsync(truncated, "t.parquet"));
        Assert.Contains("t.parquet", error.Message);
    }

    private static async Task<byte[]> ToParquetAsync(TabularFrame frame)
    {
        var fields = frame.Columns.Select(c => c is NumericColumn ? (DataField)new DataField<double?>(c.Name) : new DataField<string>(c.Name)).ToArray();
        using var stream = new MemoryStream();
        await using (var writer = await ParquetWriter.CreateAsync(new ParquetSchema(fields), stream))
        {
            using var group = writer.CreateRowGroup();
            for (var i = 0; i < fields.Length; i++)
            {
                switch (frame.Columns[i])
                {
                    case NumericColumn numeric:
                        await group.WriteAsync<double>(fields[i], numeric.Values.Select(v => double.IsNaN(v) ? (double?)null : v).ToArray());
                        break;
                    case TextColumn text:
                        await group.WriteAsync(fields[i], text.Values);
                        break;
                }
            }
        }

        return stream.ToArray();
    }
}
