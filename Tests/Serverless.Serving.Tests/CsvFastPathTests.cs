using System.Globalization;
using System.Text;
using Serverless.Domain.Datasets;
using Serverless.Onnx.Tests.Fixtures;
using Serverless.Serving.Predictions;
using Serverless.Serving.Requests;
using Xunit;

namespace Serverless.Serving.Tests;

/// <summary>The CSV fast path reads what the general pass reads; bad bodies get the general pass's error; batch ids.</summary>
public sealed class CsvFastPathTests
{
    [Theory]
    [InlineData("age,active,plan\n30.5,1,pro\n,TRUE,\n\" 7 \",false,\"a \"\"quoted\"\" plan\"\n1e2,0,free\n")]
    [InlineData("plan,extra,active,age\r\npro,x,1,-0.5E-3\r\nfree,,0,\r\n")]
    public void The_fast_path_reads_the_same_frame_as_the_general_pass(string csv)
    {
        var body = Encoding.UTF8.GetBytes(csv);

        Assert.Equal(Describe(CsvRequestReader.ReadGeneral(body, TestModels.ChurnSignature, 10)), Describe(CsvRequestReader.ReadFast(body, TestModels.ChurnSignature, 10)));
    }

    [Theory]
    [InlineData("age,active,plan\nold,1,pro\n1,1,pro,extra\n", 400, "Row 1 (0-based, after the header) has 4 fields")]
    [InlineData("age,active,plan\nold,1,pro\n1,1,pro\n1,1,pro\n", 413, "at most 2")]
    [InlineData("age,active,plan\n1,1,pro\n2,maybe,pro\n", 400, "Row 1 (0-based), column 'active'")]
    [InlineData("age,plan\n1,pro\n", 400, "lacks column 'active'")]
    [InlineData("age,active,plan\n", 400, "no rows")]
    public void Bad_bodies_get_the_general_pass_error(string csv, int status, string mention)
    {
        var error = Assert.Throws<ServingRequestException>(() => PredictionRequestReader.Read(Encoding.UTF8.GetBytes(csv), "text/csv", TestModels.ChurnSignature, 2));

        Assert.Equal(status, error.StatusCode);
        Assert.Contains(mention, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Batch_ids_carry_their_time_are_unique_and_fill_after_a_given_first_id()
    {
        var time = new DateTimeOffset(2026, 11, 22, 18, 5, 9, 123, TimeSpan.Zero);
        var ids = new string[500];
        ids[0] = "given";

        PredictionId.Fill(time, ids, 1);

        Assert.Equal("given", ids[0]);
        Assert.All(ids.Skip(1), id =>
        {
            Assert.Equal(PredictionId.Length, id.Length);
            Assert.Equal(time, PredictionId.TimeOf(id));
        });
        Assert.Equal(499, ids.Skip(1).Distinct(StringComparer.Ordinal).Count());
    }

    private static string Describe(TabularFrame frame) => string.Join(" | ", frame.Columns.Select(column =>
        column.Name + ":" + string.Join(",", Enumerable.Range(0, column.Length).Select(row => column switch
        {
            NumericColumn numeric => numeric.Values[row].ToString("R", CultureInfo.InvariantCulture),
            TextColumn text => text.Values[row] ?? "null",
            _ => "?",
        }))));
}
