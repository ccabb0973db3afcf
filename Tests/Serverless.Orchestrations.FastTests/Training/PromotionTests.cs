using Microsoft.DurableTask.Client;
using Serverless.Orchestrations.FastTests.Infrastructure;
using Serverless.Orchestrations.Training;
using Xunit;

namespace Serverless.Orchestrations.FastTests.Training;

/// <summary>Gates, automatic and manual promotion, and the approval wait with its timeout.</summary>
public sealed class PromotionTests
{
    [Fact]
    public async Task A_model_that_misses_a_gate_is_registered_but_not_promoted()
    {
        var steps = new FakeTrainingSteps { SpecJson = """{ "label": "y", "trainers": ["linear", "lightgbm"], "gates": { "min": { "auc": 0.9 } } }""" };
        await using var host = await PipelineTestHost.StartAsync(steps);

        var report = (await host.WaitAsync(await host.StartRunAsync("churn"))).ReadOutputAs<RunReport>()!;

        Assert.Equal(RunOutcomes.Registered, report.Outcome);
        Assert.Equal(1, report.ModelVersion);
        Assert.False(report.Evaluation!.Passed);
        Assert.Contains("gates not passed: auc 0.86 >= 0.9", report.Steps.Single(s => s.Name == "evaluate").Detail, StringComparison.Ordinal);
        Assert.Equal("not promoted: gates not passed: auc 0.86 >= 0.9", report.Promotion);
        Assert.Empty(steps.Aliases);
    }

    [Fact]
    public async Task A_model_that_passes_its_gates_is_promoted_automatically()
    {
        var steps = new FakeTrainingSteps { SpecJson = """{ "label": "y", "trainers": ["linear", "lightgbm"], "gates": { "min": { "auc": 0.85 } } }""" };
        await using var host = await PipelineTestHost.StartAsync(steps);

        var report = (await host.WaitAsync(await host.StartRunAsync("churn"))).ReadOutputAs<RunReport>()!;

        Assert.Equal(RunOutcomes.Promoted, report.Outcome);
        Assert.True(report.Evaluation!.Passed);
        Assert.Equal("production", Assert.Single(steps.Aliases).Alias);
    }

    [Theory]
    [InlineData(true, RunOutcomes.Promoted)]
    [InlineData(false, RunOutcomes.ApprovalRejected)]
    public async Task Manual_promotion_stages_the_model_and_follows_the_decision(bool approved, string outcome)
    {
        var steps = new FakeTrainingSteps { SpecJson = """{ "label": "y", "trainers": ["linear"], "promotion": "manual", "approvalTimeout": "PT10M" }""" };
        await using var host = await PipelineTestHost.StartAsync(steps);
        var runId = await host.StartRunAsync("churn");

        var waiting = await host.WaitForOutcomeAsync(runId, RunOutcomes.AwaitingApproval);
        Assert.Equal("staging; awaiting approval", waiting.Promotion);
        Assert.Equal(["staging"], steps.Aliases.Select(a => a.Alias));
        await host.Client.RaiseEventAsync(runId, TrainingEvents.Approval, new ApprovalDecision(approved, "alice", "reviewed"));
        var report = (await host.WaitAsync(runId)).ReadOutputAs<RunReport>()!;

        Assert.Equal(outcome, report.Outcome);
        if (approved)
        {
            var production = steps.Aliases.Last();
            Assert.Equal(("production", 1, "alice", "reviewed"), (production.Alias, production.Version, production.Actor, production.Reason));
        }
        else
        {
            Assert.Equal(["staging"], steps.Aliases.Select(a => a.Alias));
            Assert.Equal("rejected by alice: reviewed", report.Promotion);
        }
    }

    [Fact]
    public async Task Without_a_decision_the_approval_times_out_and_nothing_is_promoted()
    {
        var steps = new FakeTrainingSteps { SpecJson = """{ "label": "y", "trainers": ["linear"], "promotion": "manual", "approvalTimeout": "PT2S" }""" };
        await using var host = await PipelineTestHost.StartAsync(steps);

        var run = await host.WaitAsync(await host.StartRunAsync("churn"));

        Assert.Equal(OrchestrationRuntimeStatus.Completed, run.RuntimeStatus);
        var report = run.ReadOutputAs<RunReport>()!;
        Assert.Equal(RunOutcomes.ApprovalTimedOut, report.Outcome);
        Assert.Equal("not promoted: no decision within 00:00:02", report.Promotion);
        Assert.Equal(["staging"], steps.Aliases.Select(a => a.Alias));
        Assert.Null(await host.Slots.GetHolderAsync("churn"));
    }

    [Fact]
    public async Task A_run_whose_production_changed_since_evaluation_is_not_promoted_and_says_why()
    {
        var steps = new FakeTrainingSteps
        {
            SpecJson = """{ "label": "y", "trainers": ["linear"], "gates": { "mustBeatProductionBy": null } }""",
            Production = 3,
            BeforePromote = s => s.Production = 4, // another run promoted version 4 after this one was evaluated against 3
        };
        await using var host = await PipelineTestHost.StartAsync(steps);

        var report = (await host.WaitAsync(await host.StartRunAsync("churn"))).ReadOutputAs<RunReport>()!;

        Assert.Equal(3, report.Evaluation!.ChampionVersion);
        Assert.Equal(3, Assert.Single(steps.Promotions).JudgedAgainst);
        Assert.Equal(RunOutcomes.Registered, report.Outcome);
        Assert.Equal("not promoted: production changed from v3 to v4 since evaluation", report.Promotion);
        Assert.Equal(4, steps.Production);
        Assert.Empty(steps.Aliases);
    }

    [Fact]
    public async Task A_stale_approval_cannot_replace_a_newer_production_model()
    {
        var steps = new FakeTrainingSteps { SpecJson = """{ "label": "y", "trainers": ["linear"], "promotion": "manual", "approvalTimeout": "PT10M" }""" };
        await using var host = await PipelineTestHost.StartAsync(steps);
        var runId = await host.StartRunAsync("churn");
        await host.WaitForOutcomeAsync(runId, RunOutcomes.AwaitingApproval);

        // While the run waits, an operator promotes another version; then someone approves the (now stale) run.
        steps.Production = 7;
        await host.Client.RaiseEventAsync(runId, TrainingEvents.Approval, new ApprovalDecision(true, "alice", "reviewed last week"));
        var report = (await host.WaitAsync(runId)).ReadOutputAs<RunReport>()!;

        Assert.Equal(RunOutcomes.Registered, report.Outcome);
        Assert.Equal("not promoted: production changed from none to v7 since evaluation; the approval by alice was for gates judged against no production model", report.Promotion);
        Assert.Equal(7, steps.Production);
        Assert.Equal(["staging"], steps.Aliases.Select(a => a.Alias));
    }

    [Fact]
    public async Task A_rerun_whose_registration_returns_an_earlier_executions_version_does_not_promote_it()
    {
        // The run id's durable instance was purged and an identical dataset started it again: registration is write-once
        // and returns the version the first execution registered; the gates were judged on the new model, so nothing moves.
        var steps = new FakeTrainingSteps { Production = 5, AlreadyRegistered = true, SpecJson = """{ "label": "y", "trainers": ["linear"], "gates": { "mustBeatProductionBy": null } }""" };
        await using var host = await PipelineTestHost.StartAsync(steps);

        var report = (await host.WaitAsync(await host.StartRunAsync("churn", "train-churn-0123456789abcdef"))).ReadOutputAs<RunReport>()!;

        Assert.True(report.Evaluation!.Passed);
        Assert.Equal(RunOutcomes.Registered, report.Outcome);
        Assert.Equal(1, report.ModelVersion);
        Assert.Equal("not promoted: version 1 was registered by an earlier execution of run train-churn-0123456789abcdef; its promotion was decided then", report.Promotion);
        Assert.Empty(steps.Promotions);
        Assert.Equal(5, steps.Production);
        Assert.Contains("registered by an earlier execution", report.Steps.Single(s => s.Name == "register").Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Each_execution_names_its_registration_attempt()
    {
        var steps = new FakeTrainingSteps();
        await using var host = await PipelineTestHost.StartAsync(steps);

        await host.WaitAsync(await host.StartRunAsync("churn"));

        Assert.False(string.IsNullOrEmpty(Assert.Single(steps.Registrations).AttemptId));
    }
}
