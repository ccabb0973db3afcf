using Microsoft.DurableTask;

namespace Serverless.Orchestrations.Scoring;

/// <summary>
/// Batch scoring of one CSV: plan (row ranges, production version), score the chunks with at most
/// <see cref="ScoringPlan.Parallelism"/> at a time (the next starts when one finishes) with progress in the custom
/// status, then commit the chunks' staged blocks as the outputs. The status and the output
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

        // The layout is the plan's now; the chunks and the commit get the request without it.
        input = input with { Layout = null };
        var planned = context.CurrentUtcDateTime;
        var parallelism = Math.Max(1, plan.Parallelism);
        var timings = new ScoringTimings(PlanMs: Milliseconds(started, planned));
        var status = new ScoringStatus(input.Model, plan.Version, source, 0, plan.Chunks.Count, plan.Rows, 0, 0, "Scoring", Timings: timings);
        context.SetCustomStatus(status);

        // A window of parallelism chunks: the next chunk starts as soon as one finishes (no wave waits for its slowest).
        var outcomes = new List<ChunkOutcome>(plan.Chunks.Count);
        var running = new List<Task<ChunkOutcome>>(parallelism);
        var next = 0;
        while (next < plan.Chunks.Count || running.Count > 0)
        {
            while (running.Count < parallelism && next < plan.Chunks.Count)
            {
                var work = new ChunkWork(input, plan.Version, plan.Header, plan.Chunks[next++]);
                running.Add(context.CallActivityAsync<ChunkOutcome>(nameof(ScoreChunk), work, StepRetry.Default));
            }

            var finished = await Task.WhenAny(running);
            running.Remove(finished);
            var outcome = await finished;
            outcomes.Add(outcome);
            timings = timings.Add(outcome.Timings) with { ChunksMs = Milliseconds(planned, context.CurrentUtcDateTime) };
            status = status with
            {
                ChunksDone = status.ChunksDone + 1,
                RowsScored = status.RowsScored + outcome.Scored,
                BadRows = status.BadRows + outcome.BadRows,
                Timings = timings,
            };
            context.SetCustomStatus(status);
        }

        var merging = context.CurrentUtcDateTime;
        var merge = new MergeWork(
            input,
            plan.Header,
            plan.Version,
            [.. outcomes.Where(o => o.Scored > 0).Select(o => o.Index).Order()],
            [.. outcomes.Where(o => o.BadRows > 0).Select(o => o.Index).Order()]);
        await context.CallActivityAsync<bool>(nameof(MergeScoring), merge, StepRetry.Default);
        timings = timings with { MergeMs = Milliseconds(merging, context.CurrentUtcDateTime) };
        status = status with { State = "Completed", Predictions = ScoringPaths.Predictions(input), Errors = ScoringPaths.Errors(input), Timings = timings };
        context.SetCustomStatus(status);
        return status;
    }

    private static long Milliseconds(DateTime from, DateTime to) => (long)(to - from).TotalMilliseconds;
}
