using Serverless.Domain.Models;

namespace Serverless.Orchestrations.Training;

/// <summary>
/// Everything an operator sees about a training run: steps with their times, the validation summary,
/// the candidates with parameters and metrics, the evaluation against production, the registered
/// version and the outcome. The orchestrator keeps it as its custom status while it runs and returns it at the end.
/// </summary>
public sealed record RunReport
{
    public required string RunId { get; init; }

    public required string Project { get; init; }

    public required string Trigger { get; init; }

    public string? CorrelationId { get; init; }

    public string? RequestedBy { get; init; }

    /// <summary>Why the run started (<see cref="TrainingRunRequest.Reason"/>).</summary>
    public string? Reason { get; init; }

    /// <summary>The run this one reproduces (<see cref="TrainingRunRequest.RerunOf"/>).</summary>
    public string? RerunOf { get; init; }

    /// <summary><see cref="RunOutcomes"/>: <c>Running</c> until the run ends.</summary>
    public string Outcome { get; init; } = RunOutcomes.Running;

    public List<RunStep> Steps { get; init; } = [];

    public DatasetSummary? Dataset { get; init; }

    public List<CandidateOutcome> Candidates { get; init; } = [];

    public EvaluationOutcome? Evaluation { get; init; }

    public int? ModelVersion { get; init; }

    public string? Promotion { get; init; }

    public string? FailureReason { get; init; }
}

public static class RunOutcomes
{
    public const string Running = "Running";
    public const string Queued = "Queued";
    public const string Rejected = "Rejected";
    public const string Promoted = "Promoted";
    public const string Registered = "Registered";
    public const string AwaitingApproval = "AwaitingApproval";
    public const string ApprovalRejected = "ApprovalRejected";
    public const string ApprovalTimedOut = "ApprovalTimedOut";
    public const string Failed = "Failed";
}

/// <summary>
/// One step of a run. Times are the orchestration's replay-safe clock; <see cref="DurationMs"/> is their difference
/// (so it includes the durable hops around the step's activity), <see cref="PhasesMs"/> what the step's activity
/// measured inside itself (e.g. ingest: read, parse, validate, profile, frame write), in the order it did them.
/// </summary>
public sealed record RunStep(string Name, string Status, DateTime StartedAt, DateTime? EndedAt = null, string? Detail = null)
{
    /// <summary>Milliseconds from start to end; null while the step runs.</summary>
    public double? DurationMs => EndedAt is { } ended ? Math.Round((ended - StartedAt).TotalMilliseconds, 1) : null;

    /// <summary>Milliseconds per phase inside the step's activity, when it reports them.</summary>
    public IReadOnlyDictionary<string, double>? PhasesMs { get; init; }
}

/// <summary>The dataset version a run trained on, and what validation said.</summary>
public sealed record DatasetSummary(
    int Version,
    string ContentHash,
    string Source,
    long Rows,
    int Columns,
    string? Label,
    string? Task,
    IReadOnlyList<string> Features,
    IReadOnlyList<string> Classes,
    bool IsValid,
    int ErrorCount,
    int WarningCount,
    IReadOnlyList<string> Errors,
    string ReportPath,
    string ProfilePath,
    string FramePath);

/// <summary>A trained candidate: its trainer, parameters, validation metrics, parity with ONNX, and artifacts.</summary>
public sealed record CandidateOutcome(
    int Index,
    string Trainer,
    IReadOnlyDictionary<string, double> Parameters,
    IReadOnlyDictionary<string, double> Metrics,
    double DurationSeconds,
    bool ParityPassed,
    string? ParityDetail,
    string? OnnxPath,
    string? ModelZipPath,
    string? Error)
{
    /// <summary>Milliseconds per phase of the candidate's activity (read, fit, validate, export, parity, write).</summary>
    public IReadOnlyDictionary<string, double>? PhasesMs { get; init; }
}

/// <summary>
/// The best candidate and the production model on the same test split, and the gate decisions; the best candidate's
/// permutation feature importance and its metrics per slice (spec <c>slices</c>) on that split.
/// </summary>
public sealed record EvaluationOutcome(
    int CandidateIndex,
    string Metric,
    bool HigherIsBetter,
    IReadOnlyDictionary<string, double> Challenger,
    int? ChampionVersion,
    IReadOnlyDictionary<string, double>? Champion,
    string? ChampionSkippedReason,
    IReadOnlyList<GateResult> Gates,
    bool Passed,
    string ReportPath,
    IReadOnlyList<FeatureImportance>? FeatureImportance = null,
    IReadOnlyList<SliceMetrics>? Slices = null)
{
    /// <summary>Milliseconds per phase of the evaluate activity (<see cref="RunStep.PhasesMs"/>; kept on the step, not here).</summary>
    public IReadOnlyDictionary<string, double>? PhasesMs { get; init; }
}

public sealed record GateResult(string Gate, double Required, double? Actual, bool Passed, string Description);
