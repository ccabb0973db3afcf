using Serverless.Durable.TestWorker;
using Serverless.Testing;
using Xunit;

namespace Serverless.Durable.Tests;

public sealed class OrchestrationIntegrationTests(AzuriteFixture azurite) : IClassFixture<AzuriteFixture>
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Chain_with_sub_orchestration_and_megabyte_payloads_completes()
    {
        var hub = AzuriteFixture.UniqueName("h");
        await using var host = await DurableTestHost.StartAsync(azurite.Storage, hub, r => r
            .AddActivityFunc<string, string>("Reverse", (_, s) => new string(s.Reverse().ToArray()))
            .AddOrchestratorFunc<string, string>("Child", async (ctx, s) => await ctx.CallActivityAsync<string>("Reverse", s))
            .AddOrchestratorFunc<string, string>("Parent", async (ctx, s) =>
            {
                var once = await ctx.CallActivityAsync<string>("Reverse", s);
                var twice = await ctx.CallSubOrchestratorAsync<string>("Child", once);
                return twice + "!";
            }));
        var input = string.Concat(Enumerable.Range(0, 1024 * 1024 / 16).Select(i => $"{i:D15}|"));
        var id = await host.Client.ScheduleNewOrchestrationInstanceAsync("Parent", input);

        var result = await host.Client.WaitForInstanceCompletionAsync(id, getInputsAndOutputs: true).WaitAsync(Timeout);

        Assert.Equal(OrchestrationRuntimeStatus.Completed, result.RuntimeStatus);
        Assert.Equal(input + "!", result.ReadOutputAs<string>());
        Assert.Equal(input, result.ReadInputAs<string>());
        Assert.True(result.CreatedAt <= result.LastUpdatedAt);
    }

    [Fact]
    public async Task Activity_failure_fails_the_instance_naming_the_activity()
    {
        var hub = AzuriteFixture.UniqueName("h");
        await using var host = await DurableTestHost.StartAsync(azurite.Storage, hub, r => r
            .AddActivityFunc<int, int>("Explode", (_, n) => Explode(n))
            .AddOrchestratorFunc<int, int>("Caller", async (ctx, n) => await ctx.CallActivityAsync<int>("Explode", n)));
        var id = await host.Client.ScheduleNewOrchestrationInstanceAsync("Caller", 3);

        var result = await host.Client.WaitForInstanceCompletionAsync(id).WaitAsync(Timeout);

        Assert.Equal(OrchestrationRuntimeStatus.Failed, result.RuntimeStatus);
        Assert.NotNull(result.FailureDetails);
        Assert.Equal("Explode", result.FailureDetails!.TaskName);
        Assert.Equal(typeof(InvalidOperationException).FullName, result.FailureDetails.InnerFailure?.ErrorType);
        Assert.Contains("column 'price' is missing", result.FailureDetails.InnerFailure?.ErrorMessage, StringComparison.Ordinal);
    }

    private static int Explode(int n) => throw new InvalidOperationException($"column 'price' is missing (row {n})");

    [Fact]
    public async Task Running_instance_id_is_not_started_twice_but_a_finished_one_restarts()
    {
        var hub = AzuriteFixture.UniqueName("h");
        await using var host = await DurableTestHost.StartAsync(azurite.Storage, hub, r => r
            .AddOrchestratorFunc<string, string>("Waiter", async (ctx, s) => s + await ctx.WaitForExternalEvent<string>("go")));
        var id = await host.Client.ScheduleNewOrchestrationInstanceAsync("Waiter", "a", new StartOrchestrationOptions("fixed-id"));

        await Assert.ThrowsAsync<OrchestrationAlreadyExistsException>(() => host.Client.ScheduleNewOrchestrationInstanceAsync("Waiter", "b", new StartOrchestrationOptions("fixed-id")));
        await host.Client.RaiseEventAsync(id, "go", "1");
        Assert.Equal("a1", (await host.Client.WaitForInstanceCompletionAsync(id, true).WaitAsync(Timeout)).ReadOutputAs<string>());

        await host.Client.ScheduleNewOrchestrationInstanceAsync("Waiter", "b", new StartOrchestrationOptions("fixed-id"));
        await host.Client.RaiseEventAsync(id, "go", "2");
        var second = await host.Client.WaitForInstanceCompletionAsync(id, true).WaitAsync(Timeout);
        Assert.Equal("b2", second.ReadOutputAs<string>());
    }
}
