using Microsoft.DurableTask.Client;
using Microsoft.DurableTask.Testing;
using Serverless.Orchestrations.FastTests.Infrastructure;
using Serverless.Orchestrations.Scoring;
using Xunit;

namespace Serverless.Orchestrations.FastTests.Scoring;

/// <summary>Batch scoring's window of chunks, progress, commit list and retry on the real SDK, its activities scripted.</summary>
public sealed class BatchScoringTests
{
    private static readonly ScoringRequest Request = new("churn", "scoring-input", "churn/today.csv", "scoring-output", "churn/today", "abc", "score-1");

    [Fact]
    public async Task Chunks_are_scored_at_most_the_configured_parallelism_at_a_time_and_the_totals_add_up()
    {
        var scoring = new ScriptedScoring(chunks: 5);
        await using var host = await StartAsync(scoring);

        var run = await RunAsync(host);

        Assert.Equal(OrchestrationRuntimeStatus.Completed, run.RuntimeStatus);
        var status = run.ReadOutputAs<ScoringStatus>()!;
        Assert.Equal(("Completed", 3, 5, 5, 50L, 37L, 13L), (status.State, status.Version, status.ChunksDone, status.ChunksTotal, status.Rows, status.RowsScored, status.BadRows));
        Assert.Equal(ScoringPaths.Predictions(Request), status.Predictions);
        Assert.Equal(2, scoring.MaxConcurrentChunks);
        Assert.Equal(5, scoring.ChunkAttempts);
        Assert.Equal(1, scoring.Merges);

        // A slow chunk does not hold the others back: the next chunk starts when any one finishes.
        Assert.True(scoring.StartedWhileFirstRan >= 2, $"{scoring.StartedWhileFirstRan} chunks started while chunk 0 ran");

        // The commit names the chunks that staged blocks, in chunk order (chunk 4 scored nothing, chunk 3 had no bad row).
        Assert.Equal([0, 1, 2, 3], scoring.Merged!.PredictionChunks);
        Assert.Equal([0, 1, 2, 4], scoring.Merged.ErrorChunks);
    }

    [Fact]
    public async Task A_file_that_cannot_be_scored_fails_at_once_without_retries()
    {
        var scoring = new ScriptedScoring(chunks: 1) { PlanFailure = new ScoringInputException("scoring-input/churn/today.csv has no header row.") };
        await using var host = await StartAsync(scoring);

        var run = await RunAsync(host);

        Assert.Equal(OrchestrationRuntimeStatus.Failed, run.RuntimeStatus);
        Assert.Contains("has no header row", run.FailureDetails!.ToString(), StringComparison.Ordinal);
        Assert.Equal(1, scoring.PlanAttempts);
        Assert.Equal(0, scoring.ChunkAttempts);
    }

    private static Task<DurableTaskTestHost> StartAsync(ScriptedScoring scoring) =>
        DurableTaskTestHost.StartAsync(
            registry => registry
                .AddOrchestrator<BatchScoring>()
                .AddActivityFunc<ScoringRequest, ScoringPlan>(nameof(PlanScoring), (_, request) => scoring.Plan(request))
                .AddActivityFunc<ChunkWork, ChunkOutcome>(nameof(ScoreChunk), (_, work) => scoring.ScoreAsync(work))
                .AddActivityFunc<MergeWork, bool>(nameof(MergeScoring), (_, work) => scoring.Merge(work)),
            new DurableTaskTestHostOptions { Port = PipelineTestHost.FreePort() });

    private static async Task<OrchestrationMetadata> RunAsync(DurableTaskTestHost host)
    {
        var id = await host.Client.ScheduleNewOrchestrationInstanceAsync(BatchScoring.Name, Request);
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        return await host.Client.WaitForInstanceCompletionAsync(id, getInputsAndOutputs: true, cts.Token);
    }

    /// <summary>
    /// A plan of 10-row chunks on production version 3, scored <paramref name="parallelism"/> at once; chunk 0 is slow,
    /// chunk 3 has no bad row, chunk 4 only bad rows, the others one; counts attempts and concurrency.
    /// </summary>
    private sealed class ScriptedScoring(int chunks, int parallelism = 2)
    {
        private int _running;
        private int _maxRunning;
        private int _chunkAttempts;
        private int _planAttempts;
        private int _merges;
        private int _firstRunning;
        private int _startedWhileFirstRan;

        public Exception? PlanFailure { get; init; }

        public int MaxConcurrentChunks => Volatile.Read(ref _maxRunning);

        public int ChunkAttempts => Volatile.Read(ref _chunkAttempts);

        public int PlanAttempts => Volatile.Read(ref _planAttempts);

        public int Merges => Volatile.Read(ref _merges);

        public ScoringPlan Plan(ScoringRequest request)
        {
            Interlocked.Increment(ref _planAttempts);
            if (PlanFailure is not null)
            {
                throw PlanFailure;
            }

            return new ScoringPlan(3, ["x", "y"], chunks * 10, [.. Enumerable.Range(0, chunks).Select(i => new ScoringChunk(i, i * 100, (i + 1) * 100, (i * 10) + 1, 10))], parallelism);
        }

        public int StartedWhileFirstRan => Volatile.Read(ref _startedWhileFirstRan);

        public MergeWork? Merged { get; private set; }

        public async Task<ChunkOutcome> ScoreAsync(ChunkWork work)
        {
            Interlocked.Increment(ref _chunkAttempts);
            var running = Interlocked.Increment(ref _running);
            InterlockedMax(ref _maxRunning, running);
            var index = work.Chunk.Index;
            if (index == 0)
            {
                Volatile.Write(ref _firstRunning, 1);
                await Task.Delay(2000);
                Volatile.Write(ref _firstRunning, 0);
            }
            else
            {
                if (Volatile.Read(ref _firstRunning) == 1)
                {
                    Interlocked.Increment(ref _startedWhileFirstRan);
                }

                await Task.Delay(50);
            }

            Interlocked.Decrement(ref _running);
            var bad = index switch { 3 => 0, 4 => work.Chunk.Rows, _ => 1 };
            return new ChunkOutcome(index, work.Chunk.Rows - bad, bad);
        }

        public bool Merge(MergeWork work)
        {
            Interlocked.Increment(ref _merges);
            Merged = work;
            return true;
        }

        private static void InterlockedMax(ref int target, int value)
        {
            int current;
            while ((current = Volatile.Read(ref target)) < value && Interlocked.CompareExchange(ref target, value, current) != current)
            {
            }
        }
    }
}
