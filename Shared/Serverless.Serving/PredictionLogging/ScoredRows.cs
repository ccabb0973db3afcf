using Serverless.Domain.Datasets;
using Serverless.Onnx;
using Serverless.Serving.Predictions;

namespace Serverless.Serving.PredictionLogging;

/// <summary>
/// The rows of one scoring call to be logged: the frame and predictions as scored, the ids given, and which rows were
/// sampled (<c>null</c>: all). <see cref="WriteLines"/> serializes them to the log's lines on the request's thread, so
/// nothing here is kept once the request is answered.
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
    int[]? sampledRows)
{
    /// <summary>For a shadow version's rows: the ids of the production predictions they mirror (one per row).</summary>
    public IReadOnlyList<string>? PrimaryIds { get; init; }

    /// <summary>How many lines these rows become.</summary>
    public int Count => sampledRows?.Length ?? ids.Count;

    /// <summary>
    /// Appends the lines of the first <paramref name="count"/> sampled rows to <paramref name="lines"/>; returns how many
    /// were written (a row that cannot be serialized, such as text with a lone surrogate, is skipped).
    /// </summary>
    public int WriteLines(int count, PredictionLogBuffer lines)
    {
        var segment = new PredictionLogSegmentKey(model, version, PredictionLogSegments.Hour(time));
        var written = 0;
        for (var i = 0; i < count; i++)
        {
            var row = sampledRows is null ? i : sampledRows[i];
            var json = PredictionLogLine.Begin();
            try
            {
                PredictionLogLine.WriteHead(json, ids[row], model, version, time);
                json.WritePropertyName("inputs"u8);
                FrameRowJson.Write(json, frame, row);
                json.WriteString("output"u8, PredictionService.OutputOf(predictions, row));
                if (PredictionService.HasProbabilities(predictions))
                {
                    json.WritePropertyName("probabilities"u8);
                    PredictionService.WriteProbabilities(json, predictions, row);
                }

                PredictionLogLine.WriteTail(json, latencyMs, correlationId, traceId, PrimaryIds is not null, PrimaryIds?[row]);
                lines.Append(segment, PredictionLogLine.End());
                written++;
            }
            catch (Exception e) when (e is ArgumentException or InvalidOperationException)
            {
                PredictionLogLine.Abandon();
            }
        }

        return written;
    }
}
