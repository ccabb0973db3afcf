using System.Collections.Concurrent;
using DurableTask.Core.Exceptions;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.DependencyInjection;
using Serverless.Domain;
using Serverless.Testing;
using Xunit;
using TaskFailedException = Microsoft.DurableTask.TaskFailedException;

namespace Serverless.DurableTask.AzureStorage.Tests;

/// <summary>Durable Task SDK orchestrations on DTFx Azure Storage over Azurite: the programming model end to end.</summary>
public sealed class OrchestrationIntegrationTests(AzuriteFixture azurite) : IClassFixture<AzuriteFixture>
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task Chain_with_sub_orchestration_and_megabyte_payloads_completes()
    {
        await using var host = await DurableTestHost.StartAsync(azurite.ConnectionString, AzuriteFixture.UniqueName("h"), r => r
            .AddActivityFunc<string, string>("Reverse", (_, s) => new string(s!.Reverse().ToArray()))
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
    public async Task Activity_failure_reaches_the_orchestrator_and_the_client_with_its_type_and_message()
    {
        await using var host = await DurableTestHost.StartAsync(azurite.ConnectionString, AzuriteFixture.UniqueName("h"), r => r
            .AddActivityFunc<int, int>("Explode", (_, n) => Explode(n))
            .AddOrchestratorFunc<int, string>("Catcher", async (ctx, n) =>
            {
                try
                {
                    await ctx.CallActivityAsync<int>("Explode", n);
                    return "no failure";
                }
                catch (TaskFailedException e) when (e.FailureDetails.IsCausedBy<InvalidOperationException>())
                {
                    return "caught: " + e.FailureDetails.ErrorMessage;
                }
            })
            .AddOrchestratorFunc<int, int>("Caller", async (ctx, n) => await ctx.CallActivityAsync<int>("Explode", n)));

        var caught = await host.Client.WaitForInstanceCompletionAsync(await host.Client.ScheduleNewOrchestrationInstanceAsync("Catcher", 3), true).WaitAsync(Timeout);
        Assert.Equal("caught: column 'price' is missing (row 3)", caught.ReadOutputAs<string>());

        var failed = await host.Client.WaitForInstanceCompletionAsync(await host.Client.ScheduleNewOrchestrationInstanceAsync("Caller", 4)).WaitAsync(Timeout);
        Assert.Equal(OrchestrationRuntimeStatus.Failed, failed.RuntimeStatus);
        Assert.NotNull(failed.FailureDetails);
        Assert.True(failed.FailureDetails!.IsCausedBy<TaskFailedException>(), failed.FailureDetails.ErrorType);
        Assert.Contains("'Explode'", failed.FailureDetails.ErrorMessage, StringComparison.Ordinal);
        Assert.Contains("column 'price' is missing (row 4)", failed.FailureDetails.ErrorMessage, StringComparison.Ordinal);
    }

    private static int Explode(int n) => throw new InvalidOperationException($"column 'price' is missing (row {n})");

    [Fact]
    public async Task Bad_input_is_attempted_once_while_a_transient_failure_is_retried()
    {
        var attempts = new ConcurrentDictionary<string, int>();
        var retry = TaskOptions.FromRetryPolicy(new RetryPolicy(4, TimeSpan.FromMilliseconds(100))
        {
            HandleFailure = failure => !failure.IsCausedBy<BadInputException>(),
        });
        await using var host = await DurableTestHost.StartAsync(
            azurite.ConnectionString,
            AzuriteFixture.UniqueName("h"),
            r => r
                .AddActivity<FlakyStep>()
                .AddOrchestratorFunc<string, string>("Retrying", async (ctx, kind) =>
                {
                    try
                    {
                        return await ctx.CallActivityAsync<string>(nameof(FlakyStep), kind, retry);
                    }
                    catch (TaskFailedException e)
                    {
                        return $"failed: {e.FailureDetails.ErrorType}";
                    }
                }),
            services: s => s.AddSingleton(attempts));

        var bad = await host.Client.WaitForInstanceCompletionAsync(await host.Client.ScheduleNewOrchestrationInstanceAsync("Retrying", "bad"), true).WaitAsync(Timeout);
        var transient = await host.Client.WaitForInstanceCompletionAsync(await host.Client.ScheduleNewOrchestrationInstanceAsync("Retrying", "transient"), true).WaitAsync(Timeout);

        Assert.Equal($"failed: {typeof(TestBadInputException).FullName}", bad.ReadOutputAs<string>());
        Assert.Equal(1, attempts["bad"]);
        Assert.Equal("transient ok on attempt 3", transient.ReadOutputAs<string>());
        Assert.Equal(3, attempts["transient"]);
    }

    [Fact]
    public async Task Running_instance_id_is_not_started_twice_but_a_finished_one_restarts()
    {
        await using var host = await DurableTestHost.StartAsync(azurite.ConnectionString, AzuriteFixture.UniqueName("h"), r => r
            .AddOrchestratorFunc<string, string>("Waiter", async (ctx, s) => s + await ctx.WaitForExternalEvent<string>("go")));
        var once = new StartOrchestrationOptions { InstanceId = "fixed-id" }.WithDedupeStatuses(
            OrchestrationRuntimeStatus.Pending, OrchestrationRuntimeStatus.Running, OrchestrationRuntimeStatus.Suspended);
        var id = await host.Client.ScheduleNewOrchestrationInstanceAsync("Waiter", "a", once);
        await host.Client.WaitForInstanceStartAsync(id).WaitAsync(Timeout);

        await Assert.ThrowsAsync<OrchestrationAlreadyExistsException>(() => host.Client.ScheduleNewOrchestrationInstanceAsync("Waiter", "b", once));
        await Assert.ThrowsAsync<OrchestrationAlreadyExistsException>(() => host.Client.ScheduleNewOrchestrationInstanceAsync("Waiter", "b", new StartOrchestrationOptions("fixed-id")));
        await host.Client.RaiseEventAsync(id, "go", "1");
        Assert.Equal("a1", (await host.Client.WaitForInstanceCompletionAsync(id, true).WaitAsync(Timeout)).ReadOutputAs<string>());

        await host.Client.ScheduleNewOrchestrationInstanceAsync("Waiter", "b", once);
        await host.Client.WaitForInstanceStartAsync(id).WaitAsync(Timeout);
        await host.Client.RaiseEventAsync(id, "go", "2");
        using var cancel = new CancellationTokenSource(Timeout);
        OrchestrationMetadata? second;
        while ((second = await host.Client.GetInstanceAsync(id, true, cancel.Token)) is not { RuntimeStatus: OrchestrationRuntimeStatus.Completed } || second.ReadOutputAs<string>() != "b2")
        {
            await Task.Delay(100, cancel.Token);
        }
    }

    private sealed class FlakyStep(ConcurrentDictionary<string, int> attempts) : TaskActivity<string, string>
    {
        public override Task<string> RunAsync(TaskActivityContext context, string input)
        {
            var attempt = attempts.AddOrUpdate(input, 1, (_, n) => n + 1);
            return input switch
            {
                "bad" => throw new TestBadInputException("column 'age' holds 'abc' on row 7"),
                "transient" when attempt < 3 => throw new TimeoutException("storage did not answer"),
                _ => Task.FromResult($"{input} ok on attempt {attempt}"),
            };
        }
    }
}

/// <summary>A bad-input failure as the product's own (DatasetFormatException, ProjectSpecException, ...) derive from the root.</summary>
public sealed class TestBadInputException(string message) : BadInputException(message);
