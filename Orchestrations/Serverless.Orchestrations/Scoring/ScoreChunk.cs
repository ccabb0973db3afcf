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
            builder = new ScoringFrameBuilder(signature, input.Header, chunk.Rows);
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
            var idPrefix = Encoding.UTF8.GetBytes(PredictionIdOf(request, 0)[..^1]);
            var perRow = idPrefix.Length + 24 + ((signature.Classes?.Count ?? 0) + 2) * 16;
            using var output = new Utf8CsvBuffer(length + (chunk.Rows * perRow));
            var score = ChunkScorer.Score(bytes.AsSpan(0, length), chunk.FirstRow, model, builder, idPrefix, output, errors);
            var staging = clock.Elapsed;
            if (score.Scored > 0)
            {
                await blobs.StageBlockAsync(request.OutputContainer, ScoringPaths.Predictions(request), ScoringPaths.ChunkBlock(request, chunk.Index), output.Written, CancellationToken.None).ConfigureAwait(false);
            }

            if (errors.Length > 0)
            {
                await blobs.StageBlockAsync(request.OutputContainer, ScoringPaths.Errors(request), ScoringPaths.ChunkBlock(request, chunk.Index), errors.Written, CancellationToken.None).ConfigureAwait(false);
            }

            var timings = new ScoringTimings(
                ReadMs: (long)read.TotalMilliseconds,
                ParseMs: (long)score.Parse.TotalMilliseconds,
                ScoreMs: (long)score.Score.TotalMilliseconds,
                WriteMs: (long)(score.Format + (clock.Elapsed - staging)).TotalMilliseconds);
            return new ChunkOutcome(chunk.Index, score.Scored, score.Bad, timings);
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
}
