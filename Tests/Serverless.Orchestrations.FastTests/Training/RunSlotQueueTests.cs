using Microsoft.DurableTask.Client;
using Serverless.Orchestrations.FastTests.Infrastructure;
using Serverless.Orchestrations.Training;
using Xunit;

namespace Serverless.Orchestrations.FastTests.Training;

/// <summary>One run per project at a time, with the real slot activities and the SDK's client.</summary>
public sealed class RunSlotQueueTests
{
    private const string ManualSpec = """{ "label": "y", "trainers": ["linear"], "promotion": "manual", "approvalTimeout": "PT10M" }""";

    [Fact]
    public async Task A_second_run_of_a_project_waits_until_the_first_releases_the_slot()
    {
        await using var host = await PipelineTestHost.StartAsync(new FakeTrainingSteps { SpecJson = ManualSpec });
        var first = await host.StartRunAsync("churn");
        await host.WaitForOutcomeAsync(first, RunOutcomes.AwaitingApproval);

        var second = await host.StartRunAsync("churn");
        await host.WaitForOutcomeAsync(second, RunOutcomes.Queued);
        var other = await host.StartRunAsync("fraud");
        await host.WaitForOutcomeAsync(other, RunOutcomes.AwaitingApproval); // another project is not held up
        await Task.Delay(PipelineTestHost.SlotRecheck * 2);
        Assert.Equal(RunOutcomes.Queued, (await host.Client.GetInstanceAsync(second, true))!.ReadCustomStatusAs<RunReport>()!.Outcome);
        Assert.Equal(first, await host.Slots.GetHolderAsync("churn"));

        await host.Client.RaiseEventAsync(first, TrainingEvents.Approval, new ApprovalDecision(true, "alice", null));
        Assert.Equal(RunOutcomes.Promoted, (await host.WaitAsync(first)).ReadOutputAs<RunReport>()!.Outcome);
        await host.WaitForOutcomeAsync(second, RunOutcomes.AwaitingApproval);
        Assert.Equal(second, await host.Slots.GetHolderAsync("churn"));
        await host.Client.RaiseEventAsync(second, TrainingEvents.Approval, new ApprovalDecision(true, "alice", null));
        var report = (await host.WaitAsync(second)).ReadOutputAs<RunReport>()!;
        Assert.Equal(RunOutcomes.Promoted, report.Outcome);
        Assert.Equal(2, report.ModelVersion);
        Assert.Null(await host.Slots.GetHolderAsync("churn"));
    }

    [Fact]
    public async Task A_terminated_holder_frees_the_slot_for_the_queued_run_within_a_recheck()
    {
        await using var host = await PipelineTestHost.StartAsync(new FakeTrainingSteps { SpecJson = ManualSpec });
        var first = await host.StartRunAsync("churn");
        await host.WaitForOutcomeAsync(first, RunOutcomes.AwaitingApproval);
        var second = await host.StartRunAsync("churn");
        await host.WaitForOutcomeAsync(second, RunOutcomes.Queued);

        await host.Client.TerminateInstanceAsync(first, "stuck");
        Assert.Equal(OrchestrationRuntimeStatus.Terminated, (await host.WaitAsync(first)).RuntimeStatus);
        Assert.Equal(first, await host.Slots.GetHolderAsync("churn")); // its orchestrator never ran its release

        await host.WaitForOutcomeAsync(second, RunOutcomes.AwaitingApproval, PipelineTestHost.SlotRecheck * 10);
        Assert.Equal(second, await host.Slots.GetHolderAsync("churn"));
    }

    [Fact]
    public async Task A_run_started_after_the_holder_was_terminated_takes_the_slot_at_once()
    {
        await using var host = await PipelineTestHost.StartAsync(new FakeTrainingSteps { SpecJson = ManualSpec });
        var first = await host.StartRunAsync("churn");
        await host.WaitForOutcomeAsync(first, RunOutcomes.AwaitingApproval);
        await host.Client.TerminateInstanceAsync(first, "stuck");
        await host.WaitAsync(first);

        var next = await host.StartRunAsync("churn");
        var report = await host.WaitForOutcomeAsync(next, RunOutcomes.AwaitingApproval);

        Assert.Equal("slot taken", report.Steps[0].Detail);
        Assert.Equal(next, await host.Slots.GetHolderAsync("churn"));
    }
}
