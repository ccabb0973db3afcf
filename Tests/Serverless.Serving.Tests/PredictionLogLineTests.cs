using System.Buffers;
using System.Text;
using System.Text.Json;
using Serverless.Domain.Datasets;
using Serverless.Onnx;
using Serverless.Onnx.Tests.Fixtures;
using Serverless.Serving.PredictionLogging;
using Serverless.Serving.Predictions;
using Serverless.Serving.Requests;
using Xunit;

namespace Serverless.Serving.Tests;

/// <summary>The log's lines serialized on the request (<see cref="ScoredRows.WriteLines"/>) and the buffer that holds them.</summary>
public sealed class PredictionLogLineTests
{
    private static readonly DateTimeOffset Time = new(2026, 3, 10, 12, 34, 56, 789, TimeSpan.Zero);

    [Fact]
    public void A_line_serialized_on_the_request_equals_the_entry_format_byte_for_byte()
    {
        using var churn = OnnxModel.Load(TestModels.Churn());
        using var price = OnnxModel.Load(TestModels.Price());
        var churnFrame = PredictionRequestReader.Read(Encoding.UTF8.GetBytes("""{ "instances": [ { "age": 31.5, "active": 1, "plan": "pro" }, { "age": null, "active": 0, "plan": "caf\u00e9 \"x\"" }, { "age": 1e-7, "active": 1, "plan": null } ] }"""), "application/json", churn.Signature!, 100);
        var priceFrame = PredictionRequestReader.Read(Encoding.UTF8.GetBytes("""{ "instances": [ { "size": 70.25, "rooms": 3, "city": "a" }, { "size": 12, "rooms": null, "city": "b" } ] }"""), "application/json", price.Signature!, 100);
        var cases = new[]
        {
            new Case("churn", 3, churnFrame, churn.Score(churnFrame), ["p1", "p2", "p3"], 1.23456, "corr-1", "0af7651916cd43dd8448eb211c80319c", null, null),
            new Case("churn", 3, churnFrame, churn.Score(churnFrame), ["p1", "p2", "p3"], 0.5, null, null, [2, 0], null),
            new Case("churn", 4, churnFrame, churn.Score(churnFrame), ["s1", "s2", "s3"], 2, "corr-2", null, null, ["p1", "p2", "p3"]),
            new Case("price", 1, priceFrame, price.Score(priceFrame), ["r1", "r2"], 3.5, null, null, null, null),
        };

        foreach (var c in cases)
        {
            var rows = new ScoredRows(c.Model, c.Version, Time, c.Frame, c.Predictions, c.Ids, c.LatencyMs, c.CorrelationId, c.TraceId, c.Sampled) { PrimaryIds = c.PrimaryIds };
            var buffer = new PredictionLogBuffer(maxLinesPerChunk: 1_000);
            var sampled = c.Sampled ?? [.. Enumerable.Range(0, c.Ids.Length)];
            Assert.Equal(sampled.Length, rows.WriteLines(rows.Count, buffer));
            var chunks = new List<PredictionLogChunk>();
            Assert.Equal(sampled.Length, buffer.Take(int.MaxValue, chunks));

            var expected = string.Concat(sampled.Select(row => EntryLine(c.OldEntry(row))));
            Assert.Equal(expected, Encoding.UTF8.GetString(chunks.Single().Lines.Span));
            Assert.Equal(new PredictionLogSegmentKey(c.Model, c.Version, new DateTimeOffset(2026, 3, 10, 12, 0, 0, TimeSpan.Zero)), chunks.Single().Segment);
        }
    }

    [Fact]
    public void Batches_keep_each_segments_order_stay_within_the_line_limit_and_reuse_returned_chunks()
    {
        var buffer = new PredictionLogBuffer(maxLinesPerChunk: 4);
        var a = new PredictionLogSegmentKey("churn", 1, Time);
        var b = new PredictionLogSegmentKey("churn", 2, Time);
        for (var i = 0; i < 10; i++)
        {
            buffer.Append(a, Encoding.UTF8.GetBytes($"a{i}\n"));
            buffer.Append(b, Encoding.UTF8.GetBytes($"b{i}\n"));
        }

        var seen = new List<PredictionLogChunk>();
        var lines = new List<string>();
        var batch = new List<PredictionLogChunk>();
        int taken;
        while ((taken = buffer.Take(6, batch)) > 0)
        {
            Assert.InRange(taken, 1, 6);
            Assert.Equal(taken, new PredictionLogBatch(batch).Count);
            lines.AddRange(batch.SelectMany(c => Encoding.UTF8.GetString(c.Lines.Span).Split('\n', StringSplitOptions.RemoveEmptyEntries)));
            seen.AddRange(batch);
            buffer.Return(batch);
            batch.Clear();
        }

        Assert.Equal(Enumerable.Range(0, 10).Select(i => $"a{i}"), lines.Where(l => l[0] == 'a'));
        Assert.Equal(Enumerable.Range(0, 10).Select(i => $"b{i}"), lines.Where(l => l[0] == 'b'));

        buffer.Append(a, "again\n"u8);
        Assert.Equal(1, buffer.Take(6, batch));
        Assert.Contains(batch.Single(), seen); // a returned chunk, not a new buffer
        Assert.Equal("again\n", Encoding.UTF8.GetString(batch.Single().Lines.Span));
        Assert.Equal(a, batch.Single().Segment);
    }

    [Fact]
    public void A_line_larger_than_a_chunk_gets_a_chunk_of_its_own()
    {
        var buffer = new PredictionLogBuffer(maxLinesPerChunk: 100);
        var segment = new PredictionLogSegmentKey("wide", 1, Time);
        var wide = Encoding.UTF8.GetBytes(new string('x', PredictionLogBuffer.ChunkBytes + 10) + "\n");
        buffer.Append(segment, "small\n"u8);
        buffer.Append(segment, wide);
        buffer.Append(segment, "after\n"u8);

        var batch = new List<PredictionLogChunk>();
        Assert.Equal(3, buffer.Take(100, batch));
        Assert.Equal(["small\n", Encoding.UTF8.GetString(wide), "after\n"], batch.Select(c => Encoding.UTF8.GetString(c.Lines.Span)));
    }

    private sealed record Case(string Model, int Version, TabularFrame Frame, ModelPredictions Predictions, string[] Ids, double LatencyMs, string? CorrelationId, string? TraceId, int[]? Sampled, string[]? PrimaryIds)
    {
        /// <summary>The entry the log's writer used to make of a row (before lines were serialized on the request).</summary>
        public PredictionLogEntry OldEntry(int row) => new(
            Ids[row], Model, Version, Time, Json(json => FrameRowJson.Write(json, Frame, row)), PredictionService.OutputOf(Predictions, row),
            PredictionService.HasProbabilities(Predictions) ? Json(json => PredictionService.WriteProbabilities(json, Predictions, row)) : null, LatencyMs, CorrelationId)
        {
            TraceId = TraceId,
            Shadow = PrimaryIds is not null,
            PrimaryId = PrimaryIds?[row],
        };
    }

    private static string EntryLine(PredictionLogEntry entry) => Json(json => PredictionLogLine.Write(json, entry)) + "\n";

    /// <summary>What <paramref name="write"/> writes, as a string.</summary>
    private static string Json(Action<Utf8JsonWriter> write)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var json = new Utf8JsonWriter(buffer))
        {
            write(json);
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }
}
