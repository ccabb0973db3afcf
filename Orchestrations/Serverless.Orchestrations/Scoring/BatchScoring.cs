using Microsoft.DurableTask;

namespace Serverless.Orchestrations.Scoring;

/// <summary>
/// Batch scoring of one CSV: plan (row ranges, production version), score the chunks in parallel waves of
/// <see cref="ScoringPlan.Parallelism"/> with progress in the custom status, then merge. The status and the output
/// are a <see cref="ScoringStatus"/>. The SDK builds orchestrators without services, so the plan carries the setting.
/// </summary>
public sealed class BatchScoring : TaskOrchestrator<ScoringRequest, ScoringStatus>
{
    public const string Name = nameof(BatchScoring);

    public override async Task<ScoringStatus> RunAsync(TaskOrchestrationContext context, ScoringRequest input)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(input);
        var source = input.InputContainer + "/" + input.InputBlob;
        context.SetCustomStatus(new ScoringStatus(input.Model, 0, source, 0, 0, 0, 0, 0, "Planning"));
        var started = context.CurrentUtcDateTime;
        var plan = await context.CallActivityAsync<ScoringPlan>(nameof(PlanScoring), input, StepRetry.Default);
        var planned = context.CurrentUtcDateTime;
        var parallelism = Math.Max(1, plan.Parallelism);
        var timings = new ScoringTimings(PlanMs: Milliseconds(started, planned));
        var status = new ScoringStatus(input.Model, plan.Version, source, 0, plan.Chunks.Count, plan.Rows, 0, 0, "Scoring", Timings: timings);
        context.SetCustomStatus(status);

        foreach (var wave in plan.Chunks.Chunk(parallelism))
        {
            var outcomes = await Task.WhenAll(wave.Select(chunk =>
                context.CallActivityAsync<ChunkOutcome>(nameof(ScoreChunk), new ChunkWork(input, plan.Version, plan.Header, chunk), StepRetry.Default)));
            timings = outcomes.Aggregate(timings, (sum, outcome) => sum.Add(outcome.Timings)) with { ChunksMs = Milliseconds(planned, context.CurrentUtcDateTime) };
            status = status with
            {
                ChunksDone = status.ChunksDone + outcomes.Length,
                RowsScored = status.RowsScored + outcomes.Sum(o => o.Scored),
                BadRows = status.BadRows + outcomes.Sum(o => o.BadRows),
                Timings = timings,
            };
            context.SetCustomStatus(status);
        }

        var merging = context.CurrentUtcDateTime;
        await context.CallActivityAsync<bool>(nameof(MergeScoring), new MergeWork(input, plan.Header, plan.Version, plan.Chunks.Count), StepRetry.Default);
        timings = timings with { MergeMs = Milliseconds(merging, context.CurrentUtcDateTime) };
        status = status with { State = "Completed", Predictions = ScoringPaths.Predictions(input), Errors = ScoringPaths.Errors(input), Timings = timings };
        context.SetCustomStatus(status);
        return status;
    }

    private static long Milliseconds(DateTime from, DateTime to) => (long)(to - from).TotalMilliseconds;
}
