using Serverless.Domain.Datasets;
using Serverless.Onnx;
using Serverless.Serving.Predictions;

namespace Serverless.Serving.PredictionLogging;

/// <summary>
/// The rows of one scoring call to be logged: the frame and predictions as scored, the ids given, and which rows were
/// sampled (<c>null</c>: all). Each row's inputs and probabilities become JSON only when the writer expands it.
/// </summary>
internal sealed class ScoredRows(
    string model,
    int version,
    DateTimeOffset time,
    TabularFrame frame,
    ModelPredictions predictions,
    IReadOnlyList<string> ids,
    double latencyMs,
    string? correlationId,
    string? traceId,
    int[]? sampledRows) : PendingPredictions
{
    /// <summary>For a shadow version's rows: the ids of the production predictions they mirror (one per row).</summary>
    public IReadOnlyList<string>? PrimaryIds { get; init; }

    public override int Count => sampledRows?.Length ?? ids.Count;

    public override PendingPredictions Take(int count) =>
        new ScoredRows(model, version, time, frame, predictions, ids, latencyMs, correlationId, traceId, [.. (sampledRows ?? Enumerable.Range(0, ids.Count)).Take(count)])
        {
            PrimaryIds = PrimaryIds,
        };

    public override void Expand(Queue<PredictionLogEntry> entries)
    {
        for (var i = 0; i < Count; i++)
        {
            var row = sampledRows is null ? i : sampledRows[i];
            entries.Enqueue(new PredictionLogEntry(
                ids[row],
                model,
                version,
                time,
                FrameRowJson.Format(frame, row),
                PredictionService.OutputOf(predictions, row),
                PredictionService.ProbabilitiesOf(predictions, row),
                latencyMs,
                correlationId)
            {
                TraceId = traceId,
                Shadow = PrimaryIds is not null,
                PrimaryId = PrimaryIds?[row],
            });
        }
    }
}
