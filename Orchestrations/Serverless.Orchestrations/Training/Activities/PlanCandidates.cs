using Microsoft.DurableTask;
using Serverless.Domain.Projects;
using Serverless.ML.Evaluation;
using Serverless.ML.Training;

namespace Serverless.Orchestrations.Training.Activities;

/// <summary>Turns the spec's trainers and sweep into the candidate grid, and names the metric that picks the winner.</summary>
public sealed class PlanCandidates : TaskActivity<PlanRequest, PlanOutcome>
{
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

        var candidates = SweepPlanner.Plan(spec, input.Task)
            .Select((candidate, index) => new CandidatePlan(index, candidate.Trainer, candidate.Parameters))
            .ToList();
        return Task.FromResult(new PlanOutcome(metric.Name, metric.HigherIsBetter, candidates));
    }
}
