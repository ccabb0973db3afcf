using System.Globalization;
using System.Text;

namespace Serverless.DurableTask.Benchmarks;

/// <summary>One measured throughput scenario; <see cref="Elapsed"/> is null when it did not finish in its time box.</summary>
public sealed record BenchmarkResult(string Scenario, int Activities, int Orchestrations, TimeSpan? Elapsed, TimeSpan? ClientElapsed, string? Note = null)
{
    public double? ActivitiesPerSecond => Elapsed is { } e ? Activities / e.TotalSeconds : null;

    public double? OrchestrationsPerSecond => Elapsed is { } e ? Orchestrations / e.TotalSeconds : null;
}

/// <summary>The training pipeline (no-op activities) against the bare orchestrator of the same shape, run alternately.</summary>
public sealed record PipelineComparison(int Candidates, int ActivitiesPerRun, IReadOnlyList<TimeSpan> Pipeline, IReadOnlyList<TimeSpan> Bare, string? Note = null)
{
    public TimeSpan? PipelineMedian => Median(Pipeline);

    public TimeSpan? BareMedian => Median(Bare);

    /// <summary>Pipeline time / bare time (medians of the alternated runs).</summary>
    public double? Ratio => PipelineMedian is { } p && BareMedian is { } b && b > TimeSpan.Zero ? p / b : null;

    /// <summary>Pipeline time / bare time over all runs (sums).</summary>
    public double? TotalRatio => Pipeline.Count > 0 && Bare.Count > 0
        ? Pipeline.Sum(t => t.TotalSeconds) / Bare.Sum(t => t.TotalSeconds) * Bare.Count / Pipeline.Count
        : null;

    private static TimeSpan? Median(IReadOnlyList<TimeSpan> times)
    {
        if (times.Count == 0)
        {
            return null;
        }

        var sorted = times.Order().ToList();
        return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[(sorted.Count / 2) - 1] + sorted[sorted.Count / 2]) / 2;
    }
}

/// <summary>Prints the results and writes them into the durable section of docs/benchmarks.md.</summary>
public static class BenchmarkReport
{
    public const string Begin = "<!-- durable:begin -->";
    public const string End = "<!-- durable:end -->";

    private static readonly CultureInfo C = CultureInfo.InvariantCulture;

    public static string ToConsole(IReadOnlyList<BenchmarkResult> results, PipelineComparison pipeline)
    {
        ArgumentNullException.ThrowIfNull(results);
        ArgumentNullException.ThrowIfNull(pipeline);
        var text = new StringBuilder();
        text.AppendLine(C, $"{"Scenario",-58} {"Time (s)",9} {"Client (s)",10} {"Activities/s",13} {"Orch./s",9}");
        foreach (var r in results)
        {
            text.AppendLine(C, $"{r.Scenario,-58} {Seconds(r.Elapsed),9} {Seconds(r.ClientElapsed),10} {Rate(r.ActivitiesPerSecond, "F0"),13} {Rate(r.OrchestrationsPerSecond, "F1"),9}{(r.Note is null ? string.Empty : "  " + r.Note)}");
        }

        text.AppendLine(C, $"Training pipeline ({pipeline.ActivitiesPerRun} no-op activities per run, {pipeline.Candidates} candidates): median {Seconds(pipeline.PipelineMedian)} s over {pipeline.Pipeline.Count} runs [{Join(pipeline.Pipeline)}]");
        text.AppendLine(C, $"Bare DTFx, same shape:                                   median {Seconds(pipeline.BareMedian)} s over {pipeline.Bare.Count} runs [{Join(pipeline.Bare)}]");
        text.AppendLine(C, $"Pipeline / bare: {Rate(pipeline.Ratio, "F2")} (medians), {Rate(pipeline.TotalRatio, "F2")} (totals){(pipeline.Note is null ? string.Empty : "  " + pipeline.Note)}");
        return text.ToString();
    }

    public static string ToMarkdown(IReadOnlyList<BenchmarkResult> results, PipelineComparison pipeline, string machine, string settings, string loadStart, string loadEnd)
    {
        ArgumentNullException.ThrowIfNull(results);
        ArgumentNullException.ThrowIfNull(pipeline);
        var text = new StringBuilder();
        text.AppendLine(Begin);
        text.AppendLine("## Durable orchestrations: Durable Task SDK on DTFx Azure Storage (Azurite)");
        text.AppendLine();
        var quiet = Load1(loadStart) < 1.5 && Load1(loadEnd) < 1.5;
        var verdict = quiet
            ? "nothing else ran: figures from a quiet machine"
            : "the machine was busy with other work, so these are figures from a loaded machine, not a quiet one";
        text.AppendLine(C, $"Measured by `dotnet run -c Release --project bench/Serverless.DurableTask.Benchmarks` on {machine}, {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC. **Load average (`/proc/loadavg`) {loadStart} at the start and {loadEnd} at the end: {verdict}.**");
        text.AppendLine();
        text.AppendLine(C, $"Stack: `Microsoft.DurableTask.*` 1.28.0 orchestrators and activities run by DTFx `TaskHubWorker` over `AzureStorageOrchestrationService` (DurableTask.Core 3.11.2, DurableTask.AzureStorage 2.11.2) through `Shared/Serverless.DurableTask.AzureStorage`, one worker process. Each scenario on a fresh task hub on its own Azurite (in memory), after a warm-up run on that hub. Settings: {settings}.");
        text.AppendLine();
        text.AppendLine("| Scenario | Activities | Orchestrations | Time (s) | Client saw (s) | Activities/s | Orchestrations/s |");
        text.AppendLine("|---|---:|---:|---:|---:|---:|---:|");
        foreach (var r in results)
        {
            text.AppendLine(C, $"| {r.Scenario}{(r.Note is null ? string.Empty : " (" + r.Note + ")")} | {r.Activities} | {r.Orchestrations} | {Seconds(r.Elapsed)} | {Seconds(r.ClientElapsed)} | {Rate(r.ActivitiesPerSecond, "F0")} | {Rate(r.OrchestrationsPerSecond, "F1")} |");
        }

        text.AppendLine();
        text.AppendLine("Time runs from just before scheduling to the completion time the worker recorded in the instances table (`LastUpdatedAt` of the last instance to finish); \"client saw\" is when `WaitForInstanceCompletionAsync` noticed, which adds the client's status polling (100 ms, backing off to 1 s).");
        text.AppendLine();
        text.AppendLine("### Training pipeline overhead against bare DTFx");
        text.AppendLine();
        text.AppendLine(C, $"The real `TrainingPipeline` orchestrator with all its activities replaced by no-ops registered under the same names (valid outcomes: slot free, dataset valid, {pipeline.Candidates} candidates trained and passing parity, gates passed, promoted automatically), against a bare orchestrator making the same calls with `int` payloads: {Scenarios.PipelineStepsBefore} sequential activities, a fan-out of {pipeline.Candidates}, {Scenarios.PipelineStepsAfter} sequential activities ({pipeline.ActivitiesPerRun} per run). Both on one task hub, run one at a time and alternately (pipeline first, then bare first) so that load changes hit both alike.");
        text.AppendLine();
        text.AppendLine("| | Runs | Median (s) | Each run (s) |");
        text.AppendLine("|---|---:|---:|---|");
        text.AppendLine(C, $"| `TrainingPipeline`, no-op activities | {pipeline.Pipeline.Count} | {Seconds(pipeline.PipelineMedian)} | {Join(pipeline.Pipeline)} |");
        text.AppendLine(C, $"| bare DTFx, same shape | {pipeline.Bare.Count} | {Seconds(pipeline.BareMedian)} | {Join(pipeline.Bare)} |");
        text.AppendLine();
        text.AppendLine(C, $"Ratio pipeline / bare: **{Rate(pipeline.Ratio, "F2")}** (medians; {Rate(pipeline.TotalRatio, "F2")} on totals).{(pipeline.Note is null ? string.Empty : " " + pipeline.Note)} What the ratio contains: the run report kept as custom status and rewritten at every step (so every checkpoint writes it again), the larger JSON payloads (dataset summary, split, candidate outcomes, evaluation) in history, and the retry policies; the activities themselves do nothing on either side.");
        text.AppendLine(End);
        return text.ToString();
    }

    /// <summary>Replaces the durable section of <paramref name="path"/> (or appends it; creates the file if missing).</summary>
    public static void WriteSection(string path, string section)
    {
        ArgumentNullException.ThrowIfNull(section);
        var existing = File.Exists(path) ? File.ReadAllText(path) : "# Benchmarks\n\n";
        var start = existing.IndexOf(Begin, StringComparison.Ordinal);
        var end = existing.IndexOf(End, StringComparison.Ordinal);
        var updated = start >= 0 && end > start
            ? existing[..start] + section.TrimEnd('\n', '\r') + existing[(end + End.Length)..]
            : existing.TrimEnd('\n', '\r') + "\n\n" + section;
        File.WriteAllText(path, updated.EndsWith('\n') ? updated : updated + "\n");
    }

    private static string Seconds(TimeSpan? time) => time is { } t ? t.TotalSeconds.ToString("F2", C) : "-";

    private static string Rate(double? value, string format) => value is { } v ? v.ToString(format, C) : "-";

    private static string Join(IReadOnlyList<TimeSpan> times) => string.Join(", ", times.Select(t => t.TotalSeconds.ToString("F2", C)));

    /// <summary>The one-minute load average, the first field of <c>/proc/loadavg</c>.</summary>
    private static double Load1(string loadAverage) =>
        double.TryParse(loadAverage.Split(' ', StringSplitOptions.RemoveEmptyEntries).FirstOrDefault(), System.Globalization.NumberStyles.Float, C, out var load) ? load : double.MaxValue;
}
