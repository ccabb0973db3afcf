using Serverless.Domain.Models;

namespace Serverless.Orchestrations.Training;

// The inputs and outputs of the training pipeline's activities (JSON in durable history).

public sealed record RunSlotRequest(string Project, string RunId);

public sealed record IngestRequest(string Project, string RunId, DatasetSource? Source, int? DatasetVersion);

/// <summary>The dataset version, and the project spec as it was when the run started (the run keeps using it).</summary>
public sealed record IngestOutcome(DatasetSummary Dataset, string SpecJson);

public sealed record SplitRequest(string Project, string RunId, string FramePath, string Label, TaskKind Task, string SpecJson);

public sealed record SplitOutcome(string TrainPath, string ValidationPath, string TestPath, IReadOnlyDictionary<string, int> Sizes, int Seed);

public sealed record PlanRequest(string Project, TaskKind Task, string SpecJson);

/// <summary>The candidates to train and how to pick among them (the project metric and its direction).</summary>
public sealed record PlanOutcome(string Metric, bool HigherIsBetter, IReadOnlyList<CandidatePlan> Candidates);

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
    IReadOnlyDictionary<string, double> DurationsSeconds);

public sealed record SetAliasRequest(string Model, string Alias, int Version, string Actor, string Reason, string? CorrelationId = null);

/// <summary>A person's decision on a run waiting for manual promotion (<c>POST /api/runs/{id}/approve|reject</c>).</summary>
public sealed record ApprovalDecision(bool Approved, string By, string? Reason);

public static class TrainingEvents
{
    public const string Approval = "approval";
}
