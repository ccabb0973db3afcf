using System.Diagnostics;
using System.Globalization;
using System.Text;
using Microsoft.DurableTask;
using Serverless.Domain.Models;
using Serverless.Storage;

namespace Serverless.Orchestrations.Scoring;

/// <summary>
/// Scores one row range: reads only its bytes, parses each record, scores the good rows in one ONNX run, and writes
/// the chunk's predictions (input fields + <c>prediction_id</c>, <c>label</c> + <c>probability_{class}</c> or
/// <c>value</c>) and bad rows (row, column, message) to the work folder. Idempotent: a re-run rewrites the same blobs.
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
        var bytes = new byte[chunk.End - chunk.Start];
        await using (var stream = await blobs.OpenReadAsync(request.InputContainer, request.InputBlob, CancellationToken.None).ConfigureAwait(false))
        {
            if (stream.CanSeek)
            {
                stream.Seek(chunk.Start, SeekOrigin.Begin);
            }
            else
            {
                await SkipAsync(stream, chunk.Start, CancellationToken.None).ConfigureAwait(false);
            }

            await stream.ReadExactlyAsync(bytes, CancellationToken.None).ConfigureAwait(false);
        }

        var read = clock.Elapsed;

        // Decoded once; '\n' and '"' are ASCII, so record ends found on chars are the byte plan's record ends.
        var text = Encoding.UTF8.GetString(bytes);
        var records = new List<(int Start, int Length, string[]? Fields)>(chunk.Rows);
        var rowNumbers = new List<long>(chunk.Rows);
        var errors = new StringBuilder();
        long bad = 0;
        var row = chunk.FirstRow;
        var ranges = new Range[builder.MaxPosition + 2];
        var start = 0;
        while (start < text.Length)
        {
            var end = RecordEnd(text, start);
            var line = text.AsSpan(start, end - start).TrimEnd('\n');
            var record = line.Length > 0 && line[^1] == '\r' ? line[..^1] : line;

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
            if (record.IndexOfAny('"', '\r') < 0)
            {
                var count = record.Split(ranges, ',');
                problem = builder.TryAdd(record, ranges.AsSpan(0, count));
            }
            else
            {
                fields = CsvRecord.Split(line);
                problem = builder.TryAdd(fields);
            }

            if (problem is { } refused)
            {
                bad++;
                errors.Append(row.ToString(CultureInfo.InvariantCulture)).Append(',');
                CsvRecord.Append(errors, refused.Column);
                errors.Append(',');
                CsvRecord.Append(errors, refused.Message);
                errors.Append('\n');
            }
            else
            {
                records.Add((recordStart, record.Length, fields));
                rowNumbers.Add(row);
            }

            row++;
        }

        var parsed = clock.Elapsed;
        var output = new StringBuilder(text.Length + (records.Count * 64));
        var scored = parsed;
        if (builder.Count > 0)
        {
            var predictions = model.Score(builder.Build());
            scored = clock.Elapsed;
            var idPrefix = PredictionIdOf(request, 0)[..^1];
            for (var i = 0; i < records.Count; i++)
            {
                var (recordStart, length, fields) = records[i];
                if (fields is null)
                {
                    output.Append(text, recordStart, length).Append(',');
                }
                else
                {
                    foreach (var field in fields)
                    {
                        CsvRecord.Append(output, field);
                        output.Append(',');
                    }
                }

                output.Append(idPrefix).Append(CultureInfo.InvariantCulture, $"{rowNumbers[i]}");
                if (predictions.Task == TaskKind.Regression)
                {
                    output.Append(',');
                    AppendValue(output, predictions.Values![i]);
                }
                else
                {
                    output.Append(',');
                    CsvRecord.Append(output, predictions.Labels![i]);
                    if (predictions.Classes is { Count: > 0 } && predictions.Probabilities is not null)
                    {
                        foreach (var p in predictions.ProbabilitiesOf(i))
                        {
                            output.Append(',');
                            AppendValue(output, p);
                        }
                    }
                }

                output.Append('\n');
            }
        }

        var formatted = clock.Elapsed;
        await blobs.UploadTextAsync(request.OutputContainer, ScoringPaths.ChunkPredictions(request, chunk.Index), output.ToString(), cancellationToken: CancellationToken.None).ConfigureAwait(false);
        await blobs.UploadTextAsync(request.OutputContainer, ScoringPaths.ChunkErrors(request, chunk.Index), errors.ToString(), cancellationToken: CancellationToken.None).ConfigureAwait(false);
        var timings = new ScoringTimings(
            ReadMs: (long)read.TotalMilliseconds,
            ParseMs: (long)(parsed - read).TotalMilliseconds,
            ScoreMs: (long)(scored - parsed).TotalMilliseconds,
            WriteMs: (long)(formatted - scored).TotalMilliseconds + (long)(clock.Elapsed - formatted).TotalMilliseconds);
        return new ChunkOutcome(chunk.Index, records.Count, bad, timings);
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

    private static void AppendValue(StringBuilder line, float value)
    {
        if (float.IsFinite(value))
        {
            line.Append(CultureInfo.InvariantCulture, $"{value:R}");
        }
    }

    /// <summary>The index just after the <c>\n</c> ending the record at <paramref name="start"/> (quote-aware), or the text's end.</summary>
    private static int RecordEnd(string text, int start)
    {
        var inQuotes = false;
        var span = text.AsSpan();
        var i = start;
        while (i < span.Length)
        {
            var next = span[i..].IndexOfAny('"', '\n');
            if (next < 0)
            {
                return span.Length;
            }

            i += next;
            if (span[i] == '"')
            {
                inQuotes = !inQuotes;
            }
            else if (!inQuotes)
            {
                return i + 1;
            }

            i++;
        }

        return span.Length;
    }

    private static async Task SkipAsync(Stream stream, long count, CancellationToken cancellationToken)
    {
        var buffer = new byte[81920];
        while (count > 0)
        {
            var read = await stream.ReadAsync(buffer.AsMemory(0, (int)Math.Min(buffer.Length, count)), cancellationToken).ConfigureAwait(false);
            if (read == 0)
            {
                throw new EndOfStreamException("The input ended before the chunk's start; was it replaced while scoring?");
            }

            count -= read;
        }
    }
}
