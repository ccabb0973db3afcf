using Microsoft.DurableTask;
using Serverless.Domain.Projects;
using Serverless.ML.Evaluation;
using Serverless.Orchestrations.Training;
using Serverless.Orchestrations.Training.Activities;
using Serverless.Orchestrations.Training.Records;

namespace Serverless.DurableTask.Benchmarks;

/// <summary>
/// The real <see cref="TrainingPipeline"/> orchestrator with every activity replaced by a no-op under the same name
/// (as the fast tests' scripted fakes do), each returning a valid outcome at once: the slot is free, the dataset is
/// valid, every candidate trains and passes parity, the gates pass and the model is promoted automatically. What is
/// left is the product's orchestration and bookkeeping (run report as custom status, retry policies, payloads).
/// </summary>
public sealed class PipelineNoops
{
    private const string SpecJson = """{ "label": "y" }""";
    private static readonly string[] Features = ["a", "b", "c"];
    private static readonly string[] Classes = ["no", "yes"];
    private long _calls;

    public PipelineNoops(int candidates)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(candidates, 1);
        Candidates = candidates;
    }

    /// <summary>Candidates the plan step returns (the fan-out's width).</summary>
    public int Candidates { get; }

    /// <summary>Activity calls one run makes: the sequential steps and the candidate fan-out.</summary>
    public int ActivitiesPerRun => Scenarios.PipelineStepsBefore + Candidates + Scenarios.PipelineStepsAfter;

    /// <summary>Activity executions so far (all of them, to check the shape against the bare orchestrator).</summary>
    public long Calls => Interlocked.Read(ref _calls);

    public static TrainingRunRequest Request(string project) =>
        new() { Project = project, Source = new DatasetSource("datasets", project + "/bench.csv"), CorrelationId = "bench-" + project };

    public void Register(DurableTaskRegistry registry)
    {
        ArgumentNullException.ThrowIfNull(registry);
        registry
            .AddOrchestrator<TrainingPipeline>()
            .AddActivityFunc<RunSlotRequest, bool>(nameof(AcquireRunSlot), (_, _) => Count(true))
            .AddActivityFunc<RunSlotRequest, string?>(nameof(ReleaseRunSlot), (_, _) => Count<string?>(null))
            .AddActivityFunc<RunRecordUpdate, bool>(nameof(RecordRun), (_, _) => Count(true))
            .AddActivityFunc<IngestRequest, IngestOutcome>(nameof(IngestDataset), (_, request) => Count(Ingest(request)))
            .AddActivityFunc<SplitRequest, SplitOutcome>(nameof(SplitDataset), (_, request) => Count(Split(request)))
            .AddActivityFunc<PlanRequest, PlanOutcome>(nameof(PlanCandidates), (_, _) => Count(Plan()))
            .AddActivityFunc<TrainRequest, CandidateOutcome>(nameof(TrainCandidate), (_, request) => Count(Train(request)))
            .AddActivityFunc<EvaluateRequest, EvaluationOutcome>(nameof(EvaluateChallenger), (_, request) => Count(Evaluate(request)))
            .AddActivityFunc<RegisterRequest, RegisteredVersion>(nameof(RegisterModel), (_, _) => Count(new RegisteredVersion(1, AlreadyRegistered: false)))
            .AddActivityFunc<SetAliasRequest, bool>(nameof(SetModelAlias), (_, _) => Count(true))
            .AddActivityFunc<PromoteRequest, PromotionResult>(nameof(PromoteModel), (_, request) => Count(new PromotionResult(true, request.Version)));
    }

    private T Count<T>(T result)
    {
        Interlocked.Increment(ref _calls);
        return result;
    }

    private static IngestOutcome Ingest(IngestRequest request) =>
        new(
            new DatasetSummary(
                1, "hash-" + request.RunId, "datasets/" + request.Project, 1000, 4, "y", "Binary", Features, Classes,
                true, 0, 0, [], "report.json", "profile.json", "frame.parquet"),
            SpecJson);

    private static SplitOutcome Split(SplitRequest request) =>
        new("frame.parquet", $"{request.RunId}/split/indices.bin", new Dictionary<string, int> { ["train"] = 700, ["validation"] = 150, ["test"] = 150 }, 42);

    private PlanOutcome Plan() =>
        new(MetricRegistry.Auc, true, [.. Enumerable.Range(0, Candidates).Select(i =>
            new CandidatePlan(i, TrainerNames.All[i % TrainerNames.All.Count], new Dictionary<string, double> { ["seed"] = i }))]);

    private static CandidateOutcome Train(TrainRequest request) =>
        new(
            request.Plan.Index, request.Plan.Trainer, request.Plan.Parameters, new Dictionary<string, double> { [MetricRegistry.Auc] = 0.8 + (request.Plan.Index * 0.001) },
            0, true, "max difference 1e-6", $"{request.RunId}/{request.Plan.Index}/model.onnx", null, null);

    private static EvaluationOutcome Evaluate(EvaluateRequest request) =>
        new(
            request.Candidate.Index, MetricRegistry.Auc, true, request.Candidate.Metrics, null, null, "no production model yet",
            [new GateResult("min_" + MetricRegistry.Auc, 0.5, request.Candidate.Metrics[MetricRegistry.Auc], true, "auc >= 0.5")], true, "evaluation.json");
}
