using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Serverless.Data.Reading;
using Serverless.Domain.Projects;
using Serverless.Orchestrations.FastTests.Infrastructure;
using Serverless.Orchestrations.Training;
using Serverless.Orchestrations.Training.Activities;
using Xunit;

namespace Serverless.Orchestrations.FastTests.Training;

/// <summary>The pipeline's retry policy on the real SDK: bad input once, transient failures again.</summary>
public sealed class BadInputRetryTests
{
    public static TheoryData<string> BadInputs => ["spec", "format", "request"];

    [Theory]
    [MemberData(nameof(BadInputs))]
    public async Task An_activity_that_throws_a_bad_input_exception_is_attempted_exactly_once(string kind)
    {
        Exception bad = kind switch
        {
            "spec" => new ProjectSpecException("label: 'y' is not a column"),
            "format" => new DatasetFormatException("data.csv", "line 3 has 4 fields, the header 3", 3),
            _ => new TrainingRunRequestException("Project 'churn' has no dataset version 7."),
        };
        var steps = new FakeTrainingSteps { IngestFailure = _ => bad };
        await using var host = await PipelineTestHost.StartAsync(steps);

        var run = await host.WaitAsync(await host.StartRunAsync("churn"));

        Assert.Equal(OrchestrationRuntimeStatus.Failed, run.RuntimeStatus);
        Assert.Equal(1, steps.Attempts(nameof(IngestDataset)));
        var report = run.ReadCustomStatusAs<RunReport>()!;
        Assert.Equal($"ingest: {bad.Message}", report.FailureReason);
        Assert.Null(await host.Slots.GetHolderAsync("churn"));
    }

    [Fact]
    public async Task A_transient_failure_is_retried_and_the_run_goes_on()
    {
        var steps = new FakeTrainingSteps { IngestFailure = attempt => attempt == 1 ? new IOException("storage unavailable") : null };
        await using var host = await PipelineTestHost.StartAsync(steps);

        var run = await host.WaitAsync(await host.StartRunAsync("churn"));

        Assert.Equal(OrchestrationRuntimeStatus.Completed, run.RuntimeStatus);
        Assert.Equal(RunOutcomes.Promoted, run.ReadOutputAs<RunReport>()!.Outcome);
        Assert.Equal(2, steps.Attempts(nameof(IngestDataset)));
    }

    [Fact]
    public async Task A_failure_that_stays_is_attempted_three_times_then_fails_the_run()
    {
        var steps = new FakeTrainingSteps { IngestFailure = _ => new IOException("storage unavailable") };
        await using var host = await PipelineTestHost.StartAsync(steps);

        var run = await host.WaitAsync(await host.StartRunAsync("churn"));

        Assert.Equal(OrchestrationRuntimeStatus.Failed, run.RuntimeStatus);
        Assert.Equal(3, steps.Attempts(nameof(IngestDataset)));
        Assert.Equal("ingest: storage unavailable", run.ReadCustomStatusAs<RunReport>()!.FailureReason);
    }

    [Theory]
    [InlineData(typeof(ProjectSpecException), false)]
    [InlineData(typeof(DatasetFormatException), false)]
    [InlineData(typeof(TrainingRunRequestException), false)]
    [InlineData(typeof(IOException), true)]
    [InlineData(typeof(InvalidOperationException), true)]
    public void The_step_policy_judges_a_failure_by_its_exception_type(Type type, bool retried)
    {
        var failure = new TaskFailureDetails(type.FullName!, "message", null, null, null);

        Assert.Equal(retried, StepRetry.IsWorthRetrying(failure));
    }
}
