using Microsoft.DurableTask;
using Serverless.Orchestrations.Training.Activities;
using Serverless.Orchestrations.Training.Records;

namespace Serverless.Orchestrations.Training;

/// <summary>
/// Keeps a run's report while the orchestrator runs: each step's start, end, status and detail on the
/// replay-safe clock, published as the instance's custom status at every change, and written to the run store
/// (<see cref="RecordRun"/>) when a step starts and ends and whenever the orchestrator saves it.
/// </summary>
internal sealed class RunRecorder(TaskOrchestrationContext context, RunReport report)
{
    private string? _executionId;
    private int _sequence;
    private string? _specJson;

    public RunReport Report { get; private set; } = report;

    public string CurrentStep { get; private set; } = "start";

    public void Update(Func<RunReport, RunReport> change)
    {
        Report = change(Report);
        context.SetCustomStatus(Report);
    }

    public void SetOutcome(string outcome) => Update(r => r with { Outcome = outcome });

    /// <summary>The exact spec the run uses: kept with the next write as the run's snapshot.</summary>
    public void AttachSpec(string specJson) => _specJson = specJson;

    /// <summary>Writes the report as it stands to the run store (through an activity: the orchestrator stays deterministic).</summary>
    public async Task SaveAsync(string runtimeStatus = "Running")
    {
        _executionId ??= context.NewGuid().ToString("N");
        var update = new RunRecordUpdate(_executionId, ++_sequence, runtimeStatus, Report, _specJson);
        _specJson = null;
        await context.CallActivityAsync<bool>(nameof(RecordRun), update, StepRetry.Default);
    }

    public void Fail(string reason)
    {
        var steps = Report.Steps.Select(s => s.Status == "Running" ? s with { Status = "Failed", EndedAt = context.CurrentUtcDateTime, Detail = reason } : s).ToList();
        Update(r => r with { Outcome = RunOutcomes.Failed, FailureReason = reason, Steps = steps });
    }

    public async Task<T> StepAsync<T>(string name, Func<Task<(T Value, string Detail)>> run)
    {
        ArgumentNullException.ThrowIfNull(run);
        CurrentStep = name;
        var index = Report.Steps.Count;
        Update(r => r with { Steps = [.. r.Steps, new RunStep(name, "Running", context.CurrentUtcDateTime)] });
        await SaveAsync();
        var (value, detail) = await run();
        Update(r => r with { Steps = [.. r.Steps.Select((s, i) => i == index ? s with { Status = "Completed", EndedAt = context.CurrentUtcDateTime, Detail = detail } : s)] });
        await SaveAsync();
        return value;
    }

    /// <summary>Keeps the phase timings the current step's activity measured (see <see cref="RunStep.PhasesMs"/>).</summary>
    public void RecordPhases(IReadOnlyDictionary<string, double>? phasesMs)
    {
        if (phasesMs is null || phasesMs.Count == 0)
        {
            return;
        }

        var index = Report.Steps.FindLastIndex(s => s.Name == CurrentStep);
        Update(r => r with { Steps = [.. r.Steps.Select((s, i) => i == index ? s with { PhasesMs = phasesMs } : s)] });
    }

    public Task StepAsync(string name, Func<Task<string>> run) =>
        StepAsync(name, async () => ((object?)null, await run()));

    /// <summary>Seconds spent in each finished step so far (for the model's lineage).</summary>
    public IReadOnlyDictionary<string, double> DurationsSeconds() =>
        Report.Steps.Where(s => s.EndedAt is not null).GroupBy(s => s.Name)
            .ToDictionary(g => g.Key, g => g.Sum(s => (s.EndedAt!.Value - s.StartedAt).TotalSeconds));
}
