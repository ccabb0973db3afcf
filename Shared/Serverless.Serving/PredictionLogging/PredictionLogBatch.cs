namespace Serverless.Serving.PredictionLogging;

/// <summary>
/// A batch of the prediction log for its sink: chunks of serialized lines (in the order the predictions were recorded
/// within each segment), <see cref="Count"/> predictions in all.
/// </summary>
public sealed class PredictionLogBatch(IReadOnlyList<PredictionLogChunk> chunks)
{
    public IReadOnlyList<PredictionLogChunk> Chunks => chunks;

    /// <summary>How many predictions (lines) the batch holds.</summary>
    public int Count => chunks.Sum(c => c.Count);

    /// <summary>The batch's lines read back as entries (for inspection; the store appends the bytes as they are).</summary>
    public IEnumerable<PredictionLogEntry> Entries() =>
        chunks.SelectMany(c => System.Text.Encoding.UTF8.GetString(c.Lines.Span).Split('\n', StringSplitOptions.RemoveEmptyEntries))
            .Select(PredictionLogLine.Parse)
            .OfType<PredictionLogEntry>();
}
