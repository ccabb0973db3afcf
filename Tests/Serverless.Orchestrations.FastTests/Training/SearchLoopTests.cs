using Microsoft.DurableTask.Client;
using Serverless.Domain.Projects;
using Serverless.ML.Training;
using Serverless.Orchestrations.FastTests.Infrastructure;
using Serverless.Orchestrations.Training;
using Serverless.Orchestrations.Training.Activities;
using Xunit;

namespace Serverless.Orchestrations.FastTests.Training;

/// <summary>
/// The search loop of the training pipeline on the real SDK in memory: the real <see cref="PlanCandidates"/> proposes
/// batches from the recorded results, scripted training scores them on a known response surface.
/// </summary>
public sealed class SearchLoopTests
{
    private const string ZeroConfig = """{ "label": "y", "trainers": ["linear", "lightgbm"] }""";

    /// <summary>
    /// LightGBM's AUC peaks at learningRate 0.15 and 24 leaves (away from both its defaults and its low-complexity start,
    /// so only the model-based rounds can find the peak); linear stays flat below it.
    /// </summary>
    private static double Surface(double auc, IReadOnlyDictionary<string, double> p) =>
        p.TryGetValue("learningRate", out var rate)
            ? 0.95 - (0.1 * Math.Abs(Math.Log(rate / 0.15))) - (0.02 * Math.Abs(Math.Log(p["numberOfLeaves"] / 24)))
            : auc;

    [Fact]
    public async Task A_zero_config_spec_searches_in_batches_up_to_the_default_size_and_records_every_candidate()
    {
        var steps = new FakeTrainingSteps { SpecJson = ZeroConfig, Rows = 500, Surface = Surface };
        await using var host = await PipelineTestHost.StartAsync(steps);

        var run = await host.WaitAsync(await host.StartRunAsync("churn"));

        Assert.Equal(OrchestrationRuntimeStatus.Completed, run.RuntimeStatus);
        var report = run.ReadOutputAs<RunReport>()!;
        var expected = SearchDefaults.MaxCandidates(500, 2);
        Assert.Equal(6, expected);
        Assert.Equal(expected, report.Candidates.Count);
        Assert.Equal(expected, steps.Attempts(nameof(TrainCandidate)));
        Assert.Equal(Enumerable.Range(0, expected), report.Candidates.Select(c => c.Index));
        Assert.StartsWith("auto search: 4 candidates in the first batch", report.Steps.Single(s => s.Name == "plan").Detail, StringComparison.Ordinal);

        // The first batch starts from each trainer's defaults (the configuration runs had before search).
        Assert.Equal(TrainerCatalog.Defaults["linear"], report.Candidates[0].Parameters);
        Assert.Equal(TrainerCatalog.Defaults["lightgbm"], report.Candidates[1].Parameters);
        Assert.Equal(expected, report.Candidates.Select(c => string.Join(",", c.Trainer, string.Join(",", c.Parameters.OrderBy(p => p.Key).Select(p => p.Value)))).Distinct().Count());

        // The winner is the best recorded candidate.
        var best = report.Candidates.MaxBy(c => c.Metrics["auc"])!;
        Assert.Equal(best.Index, Assert.Single(steps.Registrations).Candidate.Index);
    }

    [Fact]
    public async Task The_same_dataset_and_spec_get_the_same_candidates()
    {
        var first = new FakeTrainingSteps { SpecJson = ZeroConfig, Rows = 2_000, Surface = Surface };
        var second = new FakeTrainingSteps { SpecJson = ZeroConfig, Rows = 2_000, Surface = Surface };
        await using (var host = await PipelineTestHost.StartAsync(first))
        {
            await host.WaitAsync(await host.StartRunAsync("churn"));
        }

        await using (var host = await PipelineTestHost.StartAsync(second))
        {
            await host.WaitAsync(await host.StartRunAsync("churn"));
        }

        static string Describe(FakeTrainingSteps steps) =>
            string.Join(";", steps.Trained.OrderBy(p => p.Index).Select(p => $"{p.Index}:{p.Trainer}({string.Join(",", p.Parameters.OrderBy(x => x.Key).Select(x => $"{x.Key}={x.Value}"))})"));

        Assert.Equal(SearchDefaults.MaxCandidates(2_000, 2), first.Trained.Count);
        Assert.Equal(Describe(first), Describe(second));
    }

    [Fact]
    public async Task Model_based_search_beats_its_random_starts_on_a_known_surface()
    {
        var steps = new FakeTrainingSteps
        {
            SpecJson = """{ "label": "y", "trainers": ["linear", "lightgbm"], "search": { "strategy": "bayesian", "maxCandidates": 24 } }""",
            Surface = Surface,
        };
        await using var host = await PipelineTestHost.StartAsync(steps);

        var report = (await host.WaitAsync(await host.StartRunAsync("churn"))).ReadOutputAs<RunReport>()!;

        Assert.Equal(24, report.Candidates.Count);
        var firstBatch = report.Candidates.Take(PlanCandidates.BatchSize(2)).Max(c => c.Metrics["auc"]);
        var later = report.Candidates.Skip(PlanCandidates.BatchSize(2)).ToList();
        Assert.True(later.Max(c => c.Metrics["auc"]) > firstBatch + 0.02, $"best later {later.Max(c => c.Metrics["auc"])}, best first batch {firstBatch}");
        // Proposals concentrate on the better trainer.
        Assert.True(later.Count(c => c.Trainer == "lightgbm") > later.Count / 2, string.Join(", ", later.Select(c => c.Trainer)));
    }

    [Fact]
    public async Task MaxCandidates_and_budget_stop_the_search()
    {
        var capped = new FakeTrainingSteps { SpecJson = """{ "label": "y", "trainers": ["linear", "lightgbm"], "search": { "strategy": "random", "maxCandidates": 5 } }""" };
        await using (var host = await PipelineTestHost.StartAsync(capped))
        {
            var report = (await host.WaitAsync(await host.StartRunAsync("churn"))).ReadOutputAs<RunReport>()!;
            Assert.Equal(5, report.Candidates.Count);
            Assert.StartsWith("random search", report.Steps.Single(s => s.Name == "plan").Detail, StringComparison.Ordinal);
        }

        // A budget spent by the first batch: the batch finishes, no second one is planned.
        var budgeted = new FakeTrainingSteps { SpecJson = """{ "label": "y", "trainers": ["linear", "lightgbm"], "search": { "budget": "PT0.001S", "maxCandidates": 40 } }""" };
        await using (var host = await PipelineTestHost.StartAsync(budgeted))
        {
            var report = (await host.WaitAsync(await host.StartRunAsync("churn"))).ReadOutputAs<RunReport>()!;
            Assert.Equal(PlanCandidates.BatchSize(2), report.Candidates.Count);
        }
    }

    [Fact]
    public async Task A_spec_with_a_sweep_keeps_its_grid()
    {
        var steps = new FakeTrainingSteps { SpecJson = """{ "label": "y", "trainers": ["linear", "lightgbm"], "sweep": { "lightgbm": { "numberOfLeaves": [8, 16, 32] } } }""" };
        await using var host = await PipelineTestHost.StartAsync(steps);

        var report = (await host.WaitAsync(await host.StartRunAsync("churn"))).ReadOutputAs<RunReport>()!;

        Assert.Equal(4, report.Candidates.Count);
        Assert.Equal([8.0, 16.0, 32.0], report.Candidates.Where(c => c.Trainer == "lightgbm").Select(c => c.Parameters["numberOfLeaves"]));
        Assert.StartsWith("grid search: 4 candidates", report.Steps.Single(s => s.Name == "plan").Detail, StringComparison.Ordinal);
    }
}
