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

        var records = new List<string[]>(chunk.Rows);
        var rowNumbers = new List<long>(chunk.Rows);
        var errors = new StringBuilder();
        long bad = 0;
        var row = chunk.FirstRow;
        var boundaries = new CsvRowBoundaries();
        var start = 0;
        var ends = new List<int>(chunk.Rows);
        boundaries.Feed(bytes, end => ends.Add((int)end));
        if (ends.Count == 0 || ends[^1] != bytes.Length)
        {
            ends.Add(bytes.Length);
        }

        // Record ends are byte offsets: decode record by record (UTF-8 is not one byte per char).
        foreach (var end in ends)
        {
            var record = Encoding.UTF8.GetString(bytes, start, end - start).TrimEnd('\n');
            start = end;
            if (record.Length == 0 || record == "\r")
            {
                row++;
                continue;
            }

            var fields = CsvRecord.Split(record);
            if (builder.TryAdd(fields) is { } problem)
            {
                bad++;
                errors.Append(row.ToString(CultureInfo.InvariantCulture)).Append(',');
                CsvRecord.Append(errors, problem.Column);
                errors.Append(',');
                CsvRecord.Append(errors, problem.Message);
                errors.Append('\n');
            }
            else
            {
                records.Add(fields);
                rowNumbers.Add(row);
            }

            row++;
        }

        var output = new StringBuilder(bytes.Length * 2);
        if (builder.Count > 0)
        {
            var predictions = model.Score(builder.Build());
            for (var i = 0; i < records.Count; i++)
            {
                var line = new StringBuilder();
                foreach (var field in records[i])
                {
                    CsvRecord.Append(line, field);
                    line.Append(',');
                }

                line.Append(PredictionIdOf(request, rowNumbers[i]));
                if (predictions.Task == TaskKind.Regression)
                {
                    line.Append(',').Append(Format(predictions.Values![i]));
                }
                else
                {
                    line.Append(',');
                    CsvRecord.Append(line, predictions.Labels![i]);
                    if (predictions.Classes is { Count: > 0 } && predictions.Probabilities is not null)
                    {
                        foreach (var p in predictions.ProbabilitiesOf(i))
                        {
                            line.Append(',').Append(Format(p));
                        }
                    }
                }

                output.Append(line).Append('\n');
            }
        }

        await blobs.UploadTextAsync(request.OutputContainer, ScoringPaths.ChunkPredictions(request, chunk.Index), output.ToString(), cancellationToken: CancellationToken.None).ConfigureAwait(false);
        await blobs.UploadTextAsync(request.OutputContainer, ScoringPaths.ChunkErrors(request, chunk.Index), errors.ToString(), cancellationToken: CancellationToken.None).ConfigureAwait(false);
        return new ChunkOutcome(chunk.Index, records.Count, bad);
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

    private static string Format(float value) => float.IsFinite(value) ? value.ToString("R", CultureInfo.InvariantCulture) : string.Empty;

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
