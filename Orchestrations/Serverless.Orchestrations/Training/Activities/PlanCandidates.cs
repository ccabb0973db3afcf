using Microsoft.DurableTask;
using Serverless.Domain.Projects;
using Serverless.ML.Evaluation;
using Serverless.ML.Search;
using Serverless.ML.Training;

namespace Serverless.Orchestrations.Training.Activities;

/// <summary>
/// Plans the run's candidates batch by batch and names the metric that picks the winner. <c>grid</c>: the spec's
/// trainers × sweep in one batch. <c>auto</c>, <c>bayesian</c>, <c>random</c>: <see cref="CandidateSearch"/> proposes
/// <see cref="BatchSize"/> candidates given every candidate trained so far (seeded by the split seed and the number
/// tried, so a dataset and spec always get the same candidates).
/// </summary>
public sealed class PlanCandidates : TaskActivity<PlanRequest, PlanOutcome>
{
    /// <summary>Candidates per search round: at least one per trainer, at least 4 (training fans out across hosts and cores).</summary>
    public static int BatchSize(int trainers) => Math.Max(4, trainers);

    public override Task<PlanOutcome> RunAsync(TaskActivityContext context, PlanRequest input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var spec = ProjectSpecSerializer.Parse(input.SpecJson);
        var metric = MetricRegistry.Get(spec.Metric ?? MetricRegistry.DefaultFor(input.Task));
        if (!metric.Tasks.Contains(input.Task))
        {
            throw new ProjectSpecException(
                $"Project spec 'metric': '{metric.Name}' does not apply to a {input.Task.ToString().ToLowerInvariant()} task; use one of " +
                string.Join(", ", MetricRegistry.All.Where(m => m.Tasks.Contains(input.Task)).Select(m => m.Name)) + ".");
        }

        var strategy = spec.Search.EffectiveStrategy(spec.Sweep.Count > 0);
        var name = strategy.ToString().ToLowerInvariant();
        var trained = input.Trained ?? [];
        if (strategy == SearchStrategy.Grid)
        {
            var grid = input.Trained is null
                ? SweepPlanner.Plan(spec, input.Task).Select((candidate, index) => new CandidatePlan(index, candidate.Trainer, candidate.Parameters)).ToList()
                : [];
            return Task.FromResult(new PlanOutcome(metric.Name, metric.HigherIsBetter, grid, name, spec.Search.MaxCandidates ?? int.MaxValue, spec.Search.Budget));
        }

        var max = spec.Search.MaxCandidates ?? SearchDefaults.MaxCandidates(input.Rows, spec.Trainers.Count);
        var count = Math.Min(BatchSize(spec.Trainers.Count), max - trained.Count);
        var history = trained
            .Select(c => new ScoredCandidate(new CandidateSpec(c.Trainer, c.Parameters), Score(c, metric.Name, metric.HigherIsBetter)))
            .ToList();
        var proposals = count <= 0 ? [] : CandidateSearch.Propose(strategy, spec.Trainers, history, count, spec.Split.Seed)
            .Select((candidate, i) => new CandidatePlan(trained.Count + i, candidate.Trainer, candidate.Parameters))
            .ToList();
        return Task.FromResult(new PlanOutcome(metric.Name, metric.HigherIsBetter, proposals, name, max, spec.Search.Budget ?? SearchDefaults.Budget));
    }

    private static double? Score(CandidateOutcome candidate, string metric, bool higherIsBetter) =>
        candidate.Error is null && candidate.ParityPassed && candidate.Metrics.TryGetValue(metric, out var value) && double.IsFinite(value)
            ? (higherIsBetter ? value : -value)
            : null;
}
