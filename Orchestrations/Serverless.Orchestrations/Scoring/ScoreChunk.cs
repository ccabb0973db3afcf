using System.Buffers;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using Microsoft.DurableTask;
using Serverless.Domain.Models;
using Serverless.Onnx;
using Serverless.Storage;

namespace Serverless.Orchestrations.Scoring;

/// <summary>
/// Scores one row range: reads only its bytes (one range read), parses each record from the UTF-8 bytes, scores the
/// good rows in one ONNX run, and stages the chunk's predictions (input fields + <c>prediction_id</c>, <c>label</c> +
/// <c>probability_{class}</c> or <c>value</c>) and bad rows (row, column, message) as block <see cref="ChunkWork.Chunk"/>
/// of the final <c>.predictions.csv</c> and <c>.errors.csv</c>; nothing is visible until <see cref="MergeScoring"/>
/// commits the blocks. Idempotent: a re-run restages the same block ids. An empty output stages no block.
/// </summary>
public sealed class ScoreChunk(IBlobStore blobs, ScoringModels models) : TaskActivity<ChunkWork, ChunkOutcome>
{
    public override async Task<ChunkOutcome> RunAsync(TaskActivityContext context, ChunkWork input)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(input);
        var request = input.Request;
        var chunk = input.Chunk;
        var model = await models.GetAsync(request.Model, input.Version, CancellationToken.None).ConfigureAwait(false);
        var signature = model.Signature ?? throw new ScoringInputException($"Model '{request.Model}' version {input.Version} has no tabular signature; batch scoring needs one.");

        ScoringFrameBuilder builder;
        try
        {
            builder = new ScoringFrameBuilder(signature, input.Header);
        }
        catch (ArgumentException e) when (e.ParamName is not null)
        {
            var reason = e.Message.Replace($" (Parameter '{e.ParamName}')", string.Empty, StringComparison.Ordinal);
            throw new ScoringInputException($"{request.InputContainer}/{request.InputBlob}: {reason}", e);
        }

        var clock = Stopwatch.StartNew();
        var length = checked((int)(chunk.End - chunk.Start));
        var bytes = ArrayPool<byte>.Shared.Rent(length);
        try
        {
            await blobs.ReadRangeAsync(request.InputContainer, request.InputBlob, chunk.Start, bytes.AsMemory(0, length), CancellationToken.None).ConfigureAwait(false);
            var read = clock.Elapsed;

            using var errors = new Utf8CsvBuffer(1024);
            var (records, bad) = Parse(bytes.AsSpan(0, length), chunk.FirstRow, builder, errors);
            var parsed = clock.Elapsed;
            var scored = parsed;
            var written = parsed;
            if (builder.Count > 0)
            {
                var predictions = model.Score(builder.Build());
                scored = clock.Elapsed;
                var idPrefix = Encoding.UTF8.GetBytes(PredictionIdOf(request, 0)[..^1]);
                var perRow = idPrefix.Length + 24 + ((signature.Classes?.Count ?? 0) + 2) * 16;
                using var output = new Utf8CsvBuffer(length + (records.Count * perRow));
                Format(bytes.AsSpan(0, length), records, predictions, idPrefix, output);
                await blobs.StageBlockAsync(request.OutputContainer, ScoringPaths.Predictions(request), ScoringPaths.ChunkBlock(request, chunk.Index), output.Written, CancellationToken.None).ConfigureAwait(false);
                written = clock.Elapsed;
            }

            if (errors.Length > 0)
            {
                await blobs.StageBlockAsync(request.OutputContainer, ScoringPaths.Errors(request), ScoringPaths.ChunkBlock(request, chunk.Index), errors.Written, CancellationToken.None).ConfigureAwait(false);
            }

            var timings = new ScoringTimings(
                ReadMs: (long)read.TotalMilliseconds,
                ParseMs: (long)(parsed - read).TotalMilliseconds,
                ScoreMs: (long)(scored - parsed).TotalMilliseconds,
                WriteMs: (long)(clock.Elapsed - scored).TotalMilliseconds);
            return new ChunkOutcome(chunk.Index, records.Count, bad, timings);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(bytes);
        }
    }

    /// <summary>A prediction id per input row, the same on every run of the same content.</summary>
    public static string PredictionIdOf(ScoringRequest request, long row)
    {
        ArgumentNullException.ThrowIfNull(request);
        return "batch-" + request.ContentHash[..Math.Min(16, request.ContentHash.Length)] + "-" + row.ToString(CultureInfo.InvariantCulture);
    }

    /// <summary>The prediction columns after the input columns.</summary>
    public static IEnumerable<string> PredictionColumns(ModelSignature signature)
    {
        ArgumentNullException.ThrowIfNull(signature);
        yield return "prediction_id";
        if (signature.Task == TaskKind.Regression)
        {
            yield return "value";
            yield break;
        }

        yield return "label";
        foreach (var c in signature.Classes ?? [])
        {
            yield return "probability_" + c;
        }
    }

    /// <summary>
    /// Cuts the chunk into records (quote-aware) and adds each to <paramref name="builder"/>: an unquoted record is
    /// read in place from its bytes, a quoted one is decoded and split. Refused rows go to <paramref name="errors"/> as
    /// <c>row,column,message</c>; empty records are skipped but counted as rows.
    /// </summary>
    private static (List<ParsedRecord> Records, long Bad) Parse(ReadOnlySpan<byte> text, long firstRow, ScoringFrameBuilder builder, Utf8CsvBuffer errors)
    {
        var records = new List<ParsedRecord>();
        long bad = 0;
        var row = firstRow;
        Span<Range> ranges = new Range[builder.MaxPosition + 2];
        var start = 0;
        while (start < text.Length)
        {
            var end = RecordEnd(text, start);
            var line = text[start..end];
            line = line.Length > 0 && line[^1] == (byte)'\n' ? line[..^1] : line;
            var record = line.Length > 0 && line[^1] == (byte)'\r' ? line[..^1] : line;
            var recordStart = start;
            start = end;
            if (record.Length == 0)
            {
                row++;
                continue;
            }

            // A record without quotes or carriage returns splits on commas and is written back as it came.
            string[]? fields = null;
            (string Column, string Message)? problem;
            if (record.IndexOfAny((byte)'"', (byte)'\r') < 0)
            {
                var count = CsvRecord.SplitUnquoted(record, ranges);
                problem = builder.TryAdd(record, ranges[..count]);
            }
            else
            {
                fields = CsvRecord.Split(Encoding.UTF8.GetString(line));
                problem = builder.TryAdd(fields);
            }

            if (problem is { } refused)
            {
                bad++;
                errors.Append(row).Append((byte)',').AppendField(refused.Column).Append((byte)',').AppendField(refused.Message).Append((byte)'\n');
            }
            else
            {
                records.Add(new ParsedRecord(recordStart, record.Length, fields, row));
            }

            row++;
        }

        return (records, bad);
    }

    /// <summary>Each scored record as it came (or its fields re-quoted), then its prediction id and prediction.</summary>
    private static void Format(ReadOnlySpan<byte> text, List<ParsedRecord> records, ModelPredictions predictions, byte[] idPrefix, Utf8CsvBuffer output)
    {
        for (var i = 0; i < records.Count; i++)
        {
            var record = records[i];
            if (record.Fields is null)
            {
                output.Append(text.Slice(record.Start, record.Length)).Append((byte)',');
            }
            else
            {
                foreach (var field in record.Fields)
                {
                    output.AppendField(field).Append((byte)',');
                }
            }

            output.Append(idPrefix).Append(record.Row).Append((byte)',');
            if (predictions.Task == TaskKind.Regression)
            {
                output.AppendValue(predictions.Values![i]);
            }
            else
            {
                output.AppendField(predictions.Labels![i]);
                if (predictions.Classes is { Count: > 0 } && predictions.Probabilities is not null)
                {
                    foreach (var p in predictions.ProbabilitiesOf(i))
                    {
                        output.Append((byte)',').AppendValue(p);
                    }
                }
            }

            output.Append((byte)'\n');
        }
    }

    /// <summary>The index just after the <c>\n</c> ending the record at <paramref name="start"/> (quote-aware), or the text's end.</summary>
    private static int RecordEnd(ReadOnlySpan<byte> text, int start)
    {
        var inQuotes = false;
        var i = start;
        while (i < text.Length)
        {
            var next = text[i..].IndexOfAny((byte)'"', (byte)'\n');
            if (next < 0)
            {
                return text.Length;
            }

            i += next;
            if (text[i] == (byte)'"')
            {
                inQuotes = !inQuotes;
            }
            else if (!inQuotes)
            {
                return i + 1;
            }

            i++;
        }

        return text.Length;
    }

    /// <summary>A good row of the chunk: its bytes (or its fields, when it was quoted) and its 1-based row number.</summary>
    private readonly record struct ParsedRecord(int Start, int Length, string[]? Fields, long Row);
}
