using System.Globalization;
using System.Text;
using System.Text.Json;
using Serverless.Data.Validation;
using Serverless.Domain.Datasets;
using Serverless.Domain.Projects;

namespace Serverless.Data.Tests;

/// <summary>Columns typed, validated and profiled on several threads give what one thread gives, and errors still name the row and column.</summary>
public sealed class ParallelIngestionTests
{
    // Over two blocks of row hashes (65,536 rows each), so duplicate detection crosses blocks.
    private const int Rows = 140_000;

    [Fact]
    public async Task Parallel_ingestion_gives_the_sequential_result()
    {
        var csv = Wide(Rows, badAgeRow: null);
        var spec = new ProjectSpec { Label = "churned" };

        var sequential = await IngestAsync(csv, spec, threads: 1);
        var parallel = await IngestAsync(csv, spec, threads: 4);

        Assert.True(sequential.Report.IsValid, string.Join("; ", sequential.Report.Errors.Select(e => e.Message)));
        Assert.Equal(Json(sequential.Report), Json(parallel.Report));
        Assert.Equal(Json(sequential.Profile), Json(parallel.Profile));
        Assert.Equal(sequential.Features, parallel.Features);
        Assert.Equal(["age", "score", "plan", "visits", "sparse"], parallel.Features);
        Assert.Equal(Json(sequential.Schema), Json(parallel.Schema));
        foreach (var column in sequential.Frame.Columns)
        {
            Assert.Equal(Enumerable.Range(0, Rows).Select(column.Format), Enumerable.Range(0, Rows).Select(parallel.Frame[column.Name].Format));
        }

        // What the checks found, so the comparison above compares something.
        var duplicates = Assert.Single(parallel.Report.Warnings, w => w.Rule == ValidationRules.DuplicateRows);
        Assert.Equal([Rows], duplicates.ExampleRows);
        Assert.Contains(parallel.Report.DroppedColumns, d => d.Column == "country" && d.Rule == ValidationRules.ConstantColumn);
        Assert.Equal(Rows / 10, parallel.Profile.Columns.Single(c => c.Name == "sparse").MissingCount);
    }

    [Fact]
    public async Task Parallel_ingestion_names_the_row_and_column_of_a_bad_value()
    {
        var csv = Wide(Rows, badAgeRow: 123_457);
        var spec = new ProjectSpec
        {
            Label = "churned",
            Validation = new ValidationSpec { Columns = new Dictionary<string, ColumnExpectation> { ["age"] = new() { Type = "number" } } },
        };

        var sequential = await IngestAsync(csv, spec, threads: 1);
        var parallel = await IngestAsync(csv, spec, threads: 4);

        var mismatch = Assert.Single(parallel.Report.Errors, e => e.Rule == ValidationRules.TypeMismatch);
        Assert.Equal("age", mismatch.Column);
        Assert.Contains("'old' in row 123457", mismatch.Message, StringComparison.Ordinal);
        Assert.Equal([123_457], mismatch.ExampleRows);
        Assert.Equal(Json(sequential.Report), Json(parallel.Report));
    }

    private static async Task<DatasetIngestionResult> IngestAsync(string csv, ProjectSpec spec, int threads)
    {
        using var stream = new MemoryStream(Encoding.UTF8.GetBytes(csv));
        var ingestion = new DatasetIngestion(DatasetIngestionOptions.Default with { MaxDegreeOfParallelism = threads });
        return await ingestion.IngestAsync(stream, "wide.csv", spec, null, CancellationToken.None);
    }

    private static string Json<T>(T value) => JsonSerializer.Serialize(value);

    /// <summary>
    /// Numeric features (one with every tenth value missing), a constant, a categorical and a text column, a yes/no
    /// label; the last row repeats the first; <paramref name="badAgeRow"/> (1-based data row) holds "old" as its age.
    /// </summary>
    private static string Wide(int rows, int? badAgeRow)
    {
        var text = new StringBuilder("age,score,country,plan,visits,sparse,note,churned\n");
        for (var i = 0; i < rows; i++)
        {
            var r = i == rows - 1 ? 0 : i;
            text.Append(i + 1 == badAgeRow ? "old" : (20 + (r * 7 % 50)).ToString(CultureInfo.InvariantCulture)).Append(',')
                .Append((r * 0.37 % 11).ToString("R", CultureInfo.InvariantCulture)).Append(",NL,")
                .Append((r % 3) switch { 0 => "pro", 1 => "free", _ => "team" }).Append(',')
                .Append((r * 13 % 17).ToString(CultureInfo.InvariantCulture)).Append(',')
                .Append(r % 10 == 5 ? string.Empty : (r % 97).ToString(CultureInfo.InvariantCulture)).Append(',')
                .Append("note ").Append(r.ToString(CultureInfo.InvariantCulture)).Append(',')
                .Append(r % 4 == 0 ? "yes" : "no").Append('\n');
        }

        return text.ToString();
    }
}
