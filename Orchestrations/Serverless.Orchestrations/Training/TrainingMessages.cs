using System.Text.Json.Serialization;
using Serverless.Domain.Models;

namespace Serverless.Orchestrations.Training;

// The inputs and outputs of the training pipeline's activities (JSON in durable history).

public sealed record RunSlotRequest(string Project, string RunId);

/// <param name="SpecJson">The exact spec to use (a rerun's snapshot); null: the project's current spec.</param>
public sealed record IngestRequest(string Project, string RunId, DatasetSource? Source, int? DatasetVersion, string? SpecJson = null);

/// <summary>The dataset version, and the project spec as it was when the run started (the run keeps using it).</summary>
public sealed record IngestOutcome(DatasetSummary Dataset, string SpecJson)
{
    /// <summary>Milliseconds per phase of the ingest activity (<see cref="RunStep.PhasesMs"/>).</summary>
    public IReadOnlyDictionary<string, double>? PhasesMs { get; init; }
}

public sealed record SplitRequest(string Project, string RunId, string FramePath, string Label, TaskKind Task, string SpecJson);

/// <summary>The run's split: row indexes (at <paramref name="SplitPath"/>) over the dataset's frame at <paramref name="FramePath"/>.</summary>
public sealed record SplitOutcome(string FramePath, string SplitPath, IReadOnlyDictionary<string, int> Sizes, int Seed)
{
    /// <summary>Milliseconds per phase of the split activity (<see cref="RunStep.PhasesMs"/>).</summary>
    public IReadOnlyDictionary<string, double>? PhasesMs { get; init; }
}

/// <summary>Asks for the next candidates: the first batch when <paramref name="Trained"/> is null, else the next batch given every candidate trained so far.</summary>
public sealed record PlanRequest(string Project, TaskKind Task, string SpecJson, long Rows = 0, IReadOnlyList<CandidateOutcome>? Trained = null);

/// <summary>
/// The candidates to train next and how to pick among them (the project metric and its direction); the search's
/// strategy and bounds (the orchestrator stops asking at <paramref name="MaxCandidates"/> or after <paramref name="Budget"/>).
/// No candidates: the search is over (a grid is planned in one batch).
/// </summary>
public sealed record PlanOutcome(
    string Metric,
    bool HigherIsBetter,
    IReadOnlyList<CandidatePlan> Candidates,
    string Strategy = "grid",
    int MaxCandidates = int.MaxValue,
    TimeSpan? Budget = null);

public sealed record CandidatePlan(int Index, string Trainer, IReadOnlyDictionary<string, double> Parameters);

public sealed record TrainRequest(string RunId, string Project, CandidatePlan Plan, DatasetSummary Dataset, SplitOutcome Split, string SpecJson);

public sealed record EvaluateRequest(string RunId, string Project, CandidateOutcome Candidate, DatasetSummary Dataset, SplitOutcome Split, string SpecJson);

public sealed record RegisterRequest(
    string RunId,
    string Project,
    CandidateOutcome Candidate,
    EvaluationOutcome Evaluation,
    DatasetSummary Dataset,
    SplitOutcome Split,
    string Trigger,
    string? CorrelationId,
    IReadOnlyDictionary<string, double> DurationsSeconds,
    string? AttemptId = null);

/// <summary>
/// The version registered for a run. <see cref="AlreadyRegistered"/>: an earlier execution of the same run id registered
/// it (the durable instance was purged and the run started again), so this execution wrote nothing and must not promote it.
/// </summary>
[JsonConverter(typeof(RegisteredVersionJsonConverter))]
public sealed record RegisteredVersion(int Version, bool AlreadyRegistered);

public sealed record SetAliasRequest(string Model, string Alias, int Version, string Actor, string Reason, string? CorrelationId = null);

/// <summary>Move <c>production</c> to <paramref name="Version"/> only if it is still <paramref name="JudgedAgainst"/>, the production version the gates compared with (<c>null</c>: none).</summary>
public sealed record PromoteRequest(string Model, int Version, int? JudgedAgainst, string Actor, string Reason, string? CorrelationId = null);

/// <summary>Whether production now is the promoted version; <see cref="Production"/> is where it points after the attempt.</summary>
public sealed record PromotionResult(bool Promoted, int? Production)
{
    /// <summary>Why a promotion judged against <paramref name="judgedAgainst"/> did not happen.</summary>
    public string DescribeRefusal(int? judgedAgainst) =>
        $"not promoted: production changed from {Name(judgedAgainst)} to {Name(Production)} since evaluation";

    private static string Name(int? version) => version is int v ? $"v{v}" : "none";
}

/// <summary>A person's decision on a run waiting for manual promotion (<c>POST /api/runs/{id}/approve|reject</c>).</summary>
public sealed record ApprovalDecision(bool Approved, string By, string? Reason);

public static class TrainingEvents
{
    public const string Approval = "approval";
}
