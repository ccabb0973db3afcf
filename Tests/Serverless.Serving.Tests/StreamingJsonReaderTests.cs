using System.Globalization;
using System.Text;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Serverless.Domain.Datasets;
using Serverless.Onnx.Tests.Fixtures;
using Serverless.Serving.Requests;
using Xunit;

namespace Serverless.Serving.Tests;

/// <summary>
/// The streaming JSON reader (the fast path) against the document reader (the general one): on random valid bodies
/// it takes the fast path and gives the same frame; on random invalid ones the request fails with exactly the
/// document reader's message and status.
/// </summary>
public sealed class StreamingJsonReaderTests
{
    private static readonly Domain.Models.ModelSignature Signature = TestModels.ChurnSignature;

    [Property(MaxTest = 300)]
    public Property Valid_bodies_take_the_fast_path_and_read_as_the_document_reader_reads_them(int seed)
    {
        var body = Encoding.UTF8.GetBytes(RandomRequestBodies.Valid(new Random(seed)));
        var general = Outcome(() => JsonDocumentRequestReader.Read(body, Signature, RandomRequestBodies.MaxRows));
        var fast = StreamingJsonRequestReader.TryRead(body, Signature, RandomRequestBodies.MaxRows);
        return (fast is not null && "frame " + Describe(fast) == general).Label($"{Encoding.UTF8.GetString(body)}\nfast: {(fast is null ? "fell back" : Describe(fast))}\ngeneral: {general}");
    }

    [Property(MaxTest = 300)]
    public Property Invalid_bodies_get_the_document_readers_error_and_status(int seed)
    {
        var body = Encoding.UTF8.GetBytes(RandomRequestBodies.Invalid(new Random(seed)));
        var general = Outcome(() => JsonDocumentRequestReader.Read(body, Signature, RandomRequestBodies.MaxRows));
        var served = Outcome(() => PredictionRequestReader.Read(body, "application/json", Signature, RandomRequestBodies.MaxRows));
        return (served == general).Label($"{Encoding.UTF8.GetString(body)}\nserved: {served}\ngeneral: {general}");
    }

    [Fact]
    public void The_generated_invalid_bodies_include_errors_of_every_status()
    {
        var outcomes = Enumerable.Range(0, 400)
            .Select(seed => Outcome(() => JsonDocumentRequestReader.Read(Encoding.UTF8.GetBytes(RandomRequestBodies.Invalid(new Random(seed))), Signature, RandomRequestBodies.MaxRows)))
            .ToList();
        Assert.Contains(outcomes, o => o.StartsWith("400 Malformed JSON", StringComparison.Ordinal));
        Assert.Contains(outcomes, o => o.StartsWith("400 Row", StringComparison.Ordinal));
        Assert.Contains(outcomes, o => o.StartsWith("400 Missing column", StringComparison.Ordinal));
        Assert.Contains(outcomes, o => o.StartsWith("413", StringComparison.Ordinal));
        Assert.Contains(outcomes, o => o.StartsWith("frame", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("""{ "instances": [ { "age": 30.5, "active": true, "plan": "pro" } ] }""")]
    [InlineData("""[ { "plan": "pro", "active": 1, "age": "30.5", "extra": {"nested": [1, 2]} } ]""")]
    [InlineData("""{ "dataframe_split": { "columns": ["age", "active", "plan"], "data": [[30.5, "true", "pro"]] } }""")]
    [InlineData("""{ "inputs": { "age": [30.5], "active": [1], "plan": ["pro"] } }""")]
    [InlineData("""{ "dataframe_records": [ { "\u0061ge": 3.05e1, "active": "TRUE", "plan": "pro" } ] }""")]
    public void Each_shape_reads_one_row_on_the_fast_path(string body)
    {
        var frame = StreamingJsonRequestReader.TryRead(Encoding.UTF8.GetBytes(body), Signature, 10);

        Assert.NotNull(frame);
        Assert.Equal(1, frame.RowCount);
        Assert.Equal(30.5, ((NumericColumn)frame["age"]).Values[0]);
        Assert.Equal(1, ((NumericColumn)frame["active"]).Values[0]);
        Assert.Equal("pro", ((TextColumn)frame["plan"]).Values[0]);
    }

    private static string Outcome(Func<TabularFrame> read)
    {
        try
        {
            return "frame " + Describe(read());
        }
        catch (ServingRequestException e)
        {
            return $"{e.StatusCode} {e.Message}";
        }
    }

    private static string Describe(TabularFrame frame) => string.Join(" | ", frame.Columns.Select(column =>
        column.Name + ":" + string.Join(",", Enumerable.Range(0, column.Length).Select(row => column switch
        {
            NumericColumn numeric => double.IsNaN(numeric.Values[row]) ? "NaN" : numeric.Values[row].ToString("R", CultureInfo.InvariantCulture),
            TextColumn text => text.Values[row] is { } value ? "'" + value + "'" : "null",
            _ => "?",
        }))));
}
