using Microsoft.DurableTask.Client;
using Serverless.Orchestrations.FastTests.Infrastructure;
using Serverless.Orchestrations.Training;
using Serverless.Orchestrations.Training.Activities;
using Xunit;

namespace Serverless.Orchestrations.FastTests.Training;

/// <summary>Which way the training pipeline goes, on the real SDK in memory with scripted steps.</summary>
public sealed class PipelineBranchingTests
{
    [Fact]
    public async Task A_valid_dataset_trains_every_candidate_registers_the_best_and_promotes_it()
    {
        await using var host = await PipelineTestHost.StartAsync();

        var run = await host.WaitAsync(await host.StartRunAsync("churn"));

        Assert.Equal(OrchestrationRuntimeStatus.Completed, run.RuntimeStatus);
        var report = run.ReadOutputAs<RunReport>()!;
        Assert.Equal(RunOutcomes.Promoted, report.Outcome);
        Assert.Equal(["queue", "ingest", "validate", "split", "plan", "train", "select", "evaluate", "register", "promote"], report.Steps.Select(s => s.Name));
        Assert.All(report.Steps, s => Assert.Equal("Completed", s.Status));
        Assert.Equal(["linear", "lightgbm"], report.Candidates.Select(c => c.Trainer));
        var registered = Assert.Single(host.Steps.Registrations);
        Assert.Equal("lightgbm", registered.Candidate.Trainer);
        Assert.Equal(1, report.ModelVersion);
        var alias = Assert.Single(host.Steps.Aliases);
        Assert.Equal(("production", 1, "pipeline"), (alias.Alias, alias.Version, alias.Actor));
        Assert.Null(await host.Slots.GetHolderAsync("churn"));
    }

    [Fact]
    public async Task An_invalid_dataset_ends_the_run_Rejected_without_training()
    {
        await using var host = await PipelineTestHost.StartAsync(new FakeTrainingSteps { DatasetValid = false });

        var run = await host.WaitAsync(await host.StartRunAsync("churn"));

        Assert.Equal(OrchestrationRuntimeStatus.Completed, run.RuntimeStatus);
        var report = run.ReadOutputAs<RunReport>()!;
        Assert.Equal(RunOutcomes.Rejected, report.Outcome);
        Assert.Equal(["queue", "ingest", "validate"], report.Steps.Select(s => s.Name));
        Assert.Contains("1 errors: schema (y)", report.Steps[^1].Detail, StringComparison.Ordinal);
        Assert.Equal(0, host.Steps.Attempts(nameof(SplitDataset)));
        Assert.Equal(0, host.Steps.Attempts(nameof(TrainCandidate)));
        Assert.Empty(host.Steps.Registrations);
        Assert.Null(report.ModelVersion);
        Assert.Null(await host.Slots.GetHolderAsync("churn"));
    }

    [Fact]
    public async Task A_candidate_that_fails_to_train_is_recorded_and_the_others_go_on()
    {
        var steps = new FakeTrainingSteps();
        steps.Auc.Remove("lightgbm");
        await using var host = await PipelineTestHost.StartAsync(steps);

        var run = await host.WaitAsync(await host.StartRunAsync("churn"));

        Assert.Equal(OrchestrationRuntimeStatus.Completed, run.RuntimeStatus);
        var report = run.ReadOutputAs<RunReport>()!;
        Assert.Equal(RunOutcomes.Promoted, report.Outcome);
        var failed = Assert.Single(report.Candidates, c => c.Trainer == "lightgbm");
        Assert.Contains("did not converge", failed.Error, StringComparison.Ordinal);
        Assert.Null(Assert.Single(report.Candidates, c => c.Trainer == "linear").Error);
        Assert.Equal("1 of 2 candidates trained and passed ONNX parity", report.Steps.Single(s => s.Name == "train").Detail);
        Assert.Equal("linear", Assert.Single(steps.Registrations).Candidate.Trainer);
        Assert.Equal(3, steps.Attempts(nameof(TrainCandidate))); // linear once, lightgbm twice (training retry)
    }

    [Fact]
    public async Task No_usable_candidate_fails_the_run_with_the_select_step_named_and_frees_the_slot()
    {
        var steps = new FakeTrainingSteps();
        steps.ParityFails.UnionWith(["linear", "lightgbm"]);
        await using var host = await PipelineTestHost.StartAsync(steps);

        var runId = await host.StartRunAsync("churn");
        var run = await host.WaitAsync(runId);

        Assert.Equal(OrchestrationRuntimeStatus.Failed, run.RuntimeStatus);
        Assert.Contains("select: No candidate both trained and passed the ONNX parity gate", run.FailureDetails!.ErrorMessage, StringComparison.Ordinal);
        var report = run.ReadCustomStatusAs<RunReport>()!;
        Assert.Equal(RunOutcomes.Failed, report.Outcome);
        Assert.StartsWith("select: ", report.FailureReason, StringComparison.Ordinal);
        Assert.Equal("Failed", report.Steps.Single(s => s.Name == "select").Status);
        Assert.Empty(steps.Registrations);
        Assert.Null(await host.Slots.GetHolderAsync("churn"));
    }
}
