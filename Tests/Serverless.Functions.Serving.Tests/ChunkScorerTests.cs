using System.Globalization;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Serverless.Domain.Datasets;
using Serverless.Orchestrations.Scoring;
using Serverless.Testing;
using Xunit;

namespace Serverless.Functions.Serving.Tests;

/// <summary>
/// A batch chunk of the real wine data, scored in process by the pipeline's own model, equals a reference built the
/// plain way: every field split and parsed as a string, the frame scored, each line written back with
/// <c>float.ToString("R")</c> probabilities; refused rows are named by row and column.
/// </summary>
[Collection(ServingCollection.Name)]
public sealed class ChunkScorerTests(ServingProductHost host)
{
    [Fact]
    public async Task A_chunk_of_real_rows_is_written_byte_for_byte_like_the_plain_reference()
    {
        await host.EnsureModelsAsync();
        var model = await host.Services.GetRequiredService<ScoringModels>().GetAsync(ServingProductHost.Model, 1, CancellationToken.None);
        var lines = File.ReadAllLines(SharedData.PathOf("wine.csv"));
        var header = CsvRecord.Split(lines[0]);
        var data = lines.Skip(1).Where(l => l.Length > 0).ToList();

        // The real rows, then the same rows in the forms a user's CSV may take: CRLF, quoted fields, an exponent,
        // padded and long numbers, an empty line, a missing value, and two bad rows.
        var text = new StringBuilder();
        foreach (var line in data)
        {
            text.Append(line).Append('\n');
        }

        var f = CsvRecord.Split(data[7]);
        text.Append(data[1]).Append("\r\n");
        text.Append('"').Append(f[0]).Append("\",").Append(string.Join(',', f.Skip(1))).Append('\n');
        text.Append("1.423e1,").Append(string.Join(',', f.Skip(1))).Append('\n');
        text.Append(" 14.2 ,").Append(string.Join(',', f.Skip(1))).Append('\n');
        text.Append("14.230000000000000001,").Append(string.Join(',', f.Skip(1))).Append('\n');
        text.Append('\n');
        text.Append(',').Append(string.Join(',', f.Skip(1))).Append('\n');
        text.Append(f[0]).Append(",not-a-number,").Append(string.Join(',', f.Skip(2))).Append('\n');
        text.Append(string.Join(',', f.Take(4))).Append(",1e400,").Append(string.Join(',', f.Skip(5))).Append('\n');
        text.Append(data[2]);
        var bytes = Encoding.UTF8.GetBytes(text.ToString());
        const long FirstRow = 1001;

        var builder = new ScoringFrameBuilder(model.Signature!, header, 16);
        using var output = new Utf8CsvBuffer(16);
        using var errors = new Utf8CsvBuffer(16);
        var score = ChunkScorer.Score(bytes, FirstRow, model, builder, "batch-abc-"u8, output, errors);

        // The reference: strings all the way.
        var records = text.ToString().Split('\n').Select(l => l.TrimEnd('\r')).ToList();
        var good = new List<(long Row, string Line, string[] Fields)>();
        var expectedErrors = new StringBuilder();
        var inputs = model.Signature!.Inputs;
        for (var i = 0; i < records.Count; i++)
        {
            if (records[i].Length == 0)
            {
                continue;
            }

            var fields = CsvRecord.Split(records[i]);
            var bad = inputs.Select(input => (input.Name, Text: fields[header.ToList().IndexOf(input.Name)]))
                .FirstOrDefault(cell => cell.Text.Length > 0 && !(double.TryParse(cell.Text, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) && double.IsFinite(v)));
            if (bad.Name is not null)
            {
                var row = (FirstRow + i).ToString(CultureInfo.InvariantCulture);
                expectedErrors.Append(CsvRecord.Join([row, bad.Name, $"expected a number (or empty for missing), got '{bad.Text}'"])).Append('\n');
                continue;
            }

            good.Add((FirstRow + i, records[i].Contains('"', StringComparison.Ordinal) ? CsvRecord.Join(fields) : records[i], fields));
        }

        var frame = new TabularFrame([.. inputs.Select(input => (FrameColumn)new NumericColumn(input.Name, input.Kind,
            [.. good.Select(g => g.Fields[header.ToList().IndexOf(input.Name)] is { Length: > 0 } cell ? double.Parse(cell, NumberStyles.Float, CultureInfo.InvariantCulture) : double.NaN)]))]);
        var predictions = model.Score(frame);
        var expected = new StringBuilder();
        for (var i = 0; i < good.Count; i++)
        {
            expected.Append(good[i].Line).Append(",batch-abc-").Append(good[i].Row).Append(',').Append(predictions.Labels![i]);
            foreach (var p in predictions.ProbabilitiesOf(i))
            {
                expected.Append(',').Append(p.ToString("R", CultureInfo.InvariantCulture));
            }

            expected.Append('\n');
        }

        Assert.Equal((good.Count, 2L), (score.Scored, score.Bad));
        Assert.Equal(data.Count + 7, good.Count);
        Assert.Equal(expected.ToString(), Encoding.UTF8.GetString(output.Written.Span));
        Assert.Equal(expectedErrors.ToString(), Encoding.UTF8.GetString(errors.Written.Span));
        Assert.StartsWith($"{FirstRow + data.Count + 7},malic_acid,", expectedErrors.ToString(), StringComparison.Ordinal);
    }
}
