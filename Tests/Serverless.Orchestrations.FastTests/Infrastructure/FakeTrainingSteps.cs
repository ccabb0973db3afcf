using System.Collections.Concurrent;
using Microsoft.DurableTask;
using Serverless.Domain.Projects;
using Serverless.ML.Evaluation;
using Serverless.Orchestrations.Training;
using Serverless.Orchestrations.Training.Activities;
using Serverless.Orchestrations.Training.Records;

namespace Serverless.Orchestrations.FastTests.Infrastructure;

/// <summary>
/// The training pipeline's storage and ML activities replaced by scripted ones under the same names, so the real
/// <see cref="TrainingPipeline"/> runs its branching on the real SDK in memory. Gates are the real
/// <see cref="PromotionGates"/> over the scripted metrics; <see cref="PlanCandidates"/> (pure) stays real.
/// Every attempt of every activity is counted.
/// </summary>
internal sealed class FakeTrainingSteps
{
    private readonly ConcurrentDictionary<string, int> _attempts = new();
    private readonly ConcurrentDictionary<string, int> _versions = new(StringComparer.Ordinal);

    /// <summary>The project spec the ingest step returns (the run keeps using it); one candidate per trainer unless a test asks for a search.</summary>
    public string SpecJson { get; set; } = """{ "label": "y", "trainers": ["linear", "lightgbm"], "search": { "strategy": "grid" } }""";

    /// <summary>The dataset's row count (search defaults scale with it).</summary>
    public long Rows { get; set; } = 120;

    /// <summary>
    /// The AUC of a candidate, given its trainer's AUC in <see cref="Auc"/> and its parameters; by default the
    /// trainer's AUC. A search test scripts a response surface here.
    /// </summary>
    public Func<double, IReadOnlyDictionary<string, double>, double> Surface { get; set; } = (auc, _) => auc;

    /// <summary>Every candidate the train step was asked for, in the order asked.</summary>
    public ConcurrentQueue<CandidatePlan> Trained { get; } = new();

    /// <summary>Whether the dataset passes validation.</summary>
    public bool DatasetValid { get; set; } = true;

    /// <summary>Thrown by the ingest step at the given (1-based) attempts; e.g. a storage blip once, or bad input always.</summary>
    public Func<int, Exception?> IngestFailure { get; set; } = _ => null;

    /// <summary>The AUC each trainer reaches; a trainer missing here fails to train.</summary>
    public Dictionary<string, double> Auc { get; } = new(StringComparer.OrdinalIgnoreCase) { ["linear"] = 0.81, ["lightgbm"] = 0.86 };

    /// <summary>Trainers whose ONNX export disagrees with ML.NET.</summary>
    public HashSet<string> ParityFails { get; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Every alias move: staging through <see cref="SetModelAlias"/>, and production when <see cref="PromoteModel"/> moved it.</summary>
    public ConcurrentQueue<SetAliasRequest> Aliases { get; } = new();

    /// <summary>The production version, as the registry would hold it: evaluation judges against it, promotion compares and sets it.</summary>
    public int? Production { get; set; }

    /// <summary>Runs just before the promote step compares production (e.g. another run or an operator promotes meanwhile).</summary>
    public Action<FakeTrainingSteps> BeforePromote { get; set; } = _ => { };

    /// <summary>Whether registration finds the run id registered by an earlier execution (a re-run after a purge).</summary>
    public bool AlreadyRegistered { get; set; }

    public ConcurrentQueue<PromoteRequest> Promotions { get; } = new();

    public ConcurrentQueue<RegisterRequest> Registrations { get; } = new();

    public int Attempts(string activity) => _attempts.GetValueOrDefault(activity);

    /// <summary>Every write of a run's record the pipeline made, in order.</summary>
    public ConcurrentQueue<RunRecordUpdate> Records { get; } = new();

    private bool Record(RunRecordUpdate update)
    {
        Records.Enqueue(update);
        return true;
    }

    public void Register(DurableTaskRegistry registry)
    {
        ArgumentNullException.ThrowIfNull(registry);
        registry
            .AddActivity<PlanCandidates>()
            .AddActivityFunc<RunRecordUpdate, bool>(nameof(RecordRun), (_, update) => Record(update))
            .AddActivityFunc<IngestRequest, IngestOutcome>(nameof(IngestDataset), (_, request) => Ingest(request))
            .AddActivityFunc<SplitRequest, SplitOutcome>(nameof(SplitDataset), (_, request) => Split(request))
            .AddActivityFunc<TrainRequest, CandidateOutcome>(nameof(TrainCandidate), (_, request) => Train(request))
            .AddActivityFunc<EvaluateRequest, EvaluationOutcome>(nameof(EvaluateChallenger), (_, request) => Evaluate(request))
            .AddActivityFunc<RegisterRequest, RegisteredVersion>(nameof(RegisterModel), (_, request) => RegisterModel(request))
            .AddActivityFunc<SetAliasRequest, bool>(nameof(SetModelAlias), (_, request) => SetAlias(request))
            .AddActivityFunc<PromoteRequest, PromotionResult>(nameof(PromoteModel), (_, request) => Promote(request));
    }

    private int Count(string activity) => _attempts.AddOrUpdate(activity, 1, (_, n) => n + 1);

    private IngestOutcome Ingest(IngestRequest request)
    {
        if (IngestFailure(Count(nameof(IngestDataset))) is { } failure)
        {
            throw failure;
        }

        var spec = ProjectSpecSerializer.Parse(SpecJson);
        var dataset = new DatasetSummary(
            1, "hash-" + request.RunId, "uploads/" + request.Project, Rows, 3, spec.Label, "Binary", ["a", "b"], ["no", "yes"],
            DatasetValid, DatasetValid ? 0 : 1, 0, DatasetValid ? [] : ["schema (y): the label column is missing"],
            "report.json", "profile.json", "frame.parquet");
        return new IngestOutcome(dataset, ProjectSpecSerializer.Serialize(spec));
    }

    private SplitOutcome Split(SplitRequest request)
    {
        Count(nameof(SplitDataset));
        return new SplitOutcome(request.FramePath, $"{request.RunId}/split", new Dictionary<string, int> { ["train"] = 84, ["validation"] = 18, ["test"] = 18 }, 42);
    }

    private CandidateOutcome Train(TrainRequest request)
    {
        Count(nameof(TrainCandidate));
        Trained.Enqueue(request.Plan);
        var trainer = request.Plan.Trainer;
        if (!Auc.TryGetValue(trainer, out var auc))
        {
            throw new InvalidOperationException($"{trainer} did not converge");
        }

        var parity = !ParityFails.Contains(trainer);
        return new CandidateOutcome(
            request.Plan.Index, trainer, request.Plan.Parameters, new Dictionary<string, double> { [MetricRegistry.Auc] = Surface(auc, request.Plan.Parameters) }, 1.5,
            parity, parity ? "max difference 1e-6" : "max difference 0.2 over 1e-4", $"{request.RunId}/{request.Plan.Index}/model.onnx", null, null);
    }

    private EvaluationOutcome Evaluate(EvaluateRequest request)
    {
        Count(nameof(EvaluateChallenger));
        var spec = ProjectSpecSerializer.Parse(request.SpecJson);
        var metric = MetricRegistry.Get(spec.Metric ?? MetricRegistry.Auc);
        var challenger = new ModelEvaluation(request.Candidate.Metrics, 18, 0);
        var gates = PromotionGates.Evaluate(spec.Gates, metric, challenger, null, null);
        return new EvaluationOutcome(
            request.Candidate.Index, metric.Name, metric.HigherIsBetter, challenger.Metrics, Production, null, Production is null ? "no production model yet" : "not scored by the fake",
            gates, gates.All(g => g.Passed), "evaluation.json");
    }

    private RegisteredVersion RegisterModel(RegisterRequest request)
    {
        Count(nameof(Orchestrations.Training.Activities.RegisterModel));
        Registrations.Enqueue(request);
        return AlreadyRegistered
            ? new RegisteredVersion(1, AlreadyRegistered: true)
            : new RegisteredVersion(_versions.AddOrUpdate(request.Project, 1, (_, n) => n + 1), AlreadyRegistered: false); // versions count per model, as in the registry
    }

    /// <summary>The registry's compare-and-set, on <see cref="Production"/>.</summary>
    private PromotionResult Promote(PromoteRequest request)
    {
        Count(nameof(PromoteModel));
        Promotions.Enqueue(request);
        BeforePromote(this);
        if (Production == request.Version)
        {
            return new PromotionResult(true, Production);
        }

        if (Production != request.JudgedAgainst)
        {
            return new PromotionResult(false, Production);
        }

        Production = request.Version;
        Aliases.Enqueue(new SetAliasRequest(request.Model, PromoteModel.Alias, request.Version, request.Actor, request.Reason, request.CorrelationId));
        return new PromotionResult(true, Production);
    }

    private bool SetAlias(SetAliasRequest request)
    {
        Count(nameof(SetModelAlias));
        Aliases.Enqueue(request);
        return true;
    }
}
