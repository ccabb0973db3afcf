namespace Serverless.Orchestrations.Scoring;

/// <summary>
/// Where a batch scoring run's time went, in milliseconds: <see cref="PlanMs"/> and <see cref="MergeMs"/> are the
/// plan and merge steps' wall time as the orchestration saw them (queueing included), <see cref="ChunksMs"/> the wall
/// time of the chunk waves; read (input range), parse (CSV to inputs), score (ONNX Runtime) and write (output CSV
/// formatting and upload) are summed over the chunk activities, so with parallel chunks they can add up to more than
/// <see cref="ChunksMs"/>.
/// </summary>
public sealed record ScoringTimings(long PlanMs = 0, long ChunksMs = 0, long ReadMs = 0, long ParseMs = 0, long ScoreMs = 0, long WriteMs = 0, long MergeMs = 0)
{
    /// <summary>These timings with a chunk's read, parse, score and write added.</summary>
    public ScoringTimings Add(ScoringTimings? chunk) => chunk is null ? this : this with
    {
        ReadMs = ReadMs + chunk.ReadMs,
        ParseMs = ParseMs + chunk.ParseMs,
        ScoreMs = ScoreMs + chunk.ScoreMs,
        WriteMs = WriteMs + chunk.WriteMs,
    };
}
