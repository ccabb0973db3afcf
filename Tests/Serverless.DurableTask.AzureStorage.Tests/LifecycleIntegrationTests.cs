using System.Text.Json;
using DurableTask.Core.History;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Serverless.Testing;
using Xunit;

namespace Serverless.DurableTask.AzureStorage.Tests;

/// <summary>The client's control of instances: events, suspend, resume, terminate, purge, query pages, history; timers and restarts.</summary>
public sealed class LifecycleIntegrationTests(AzuriteFixture azurite) : IClassFixture<AzuriteFixture>
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(90);

    private static void Waiter(DurableTaskRegistry registry) => registry
        .AddOrchestratorFunc<string, string>("Waiter", async (ctx, s) =>
        {
            ctx.SetCustomStatus(new { stage = "waiting" });
            return s + await ctx.WaitForExternalEvent<string>("go");
        });

    private static async Task WaitForStatusAsync(DurableTaskClient client, string id, OrchestrationRuntimeStatus status)
    {
        using var timeout = new CancellationTokenSource(Timeout);
        while ((await client.GetInstanceAsync(id, cancellation: timeout.Token))?.RuntimeStatus != status)
        {
            await Task.Delay(50, timeout.Token);
        }
    }

    [Fact]
    public async Task Suspend_holds_events_resume_applies_them_and_terminate_ends_with_the_reason()
    {
        await using var host = await DurableTestHost.StartAsync(azurite.ConnectionString, AzuriteFixture.UniqueName("h"), Waiter);
        var client = host.Client;
        var id = await client.ScheduleNewOrchestrationInstanceAsync("Waiter", "x");
        await client.WaitForInstanceStartAsync(id).WaitAsync(Timeout);

        await client.SuspendInstanceAsync(id, "maintenance");
        await WaitForStatusAsync(client, id, OrchestrationRuntimeStatus.Suspended);
        await client.RaiseEventAsync(id, "go", "!");
        await Task.Delay(1000);
        Assert.Equal(OrchestrationRuntimeStatus.Suspended, (await client.GetInstanceAsync(id))!.RuntimeStatus);

        await client.ResumeInstanceAsync(id, "done");
        var done = await client.WaitForInstanceCompletionAsync(id, true).WaitAsync(Timeout);
        Assert.Equal("x!", done.ReadOutputAs<string>());
        Assert.Equal("waiting", JsonDocument.Parse(done.SerializedCustomStatus!).RootElement.GetProperty("stage").GetString());

        var other = await client.ScheduleNewOrchestrationInstanceAsync("Waiter", "y");
        await client.WaitForInstanceStartAsync(other).WaitAsync(Timeout);
        await client.TerminateInstanceAsync(other, "no longer needed");
        var terminated = await client.WaitForInstanceCompletionAsync(other, true).WaitAsync(Timeout);
        Assert.Equal(OrchestrationRuntimeStatus.Terminated, terminated.RuntimeStatus);
        Assert.Equal("no longer needed", terminated.ReadOutputAs<string>());
    }

    [Fact]
    public async Task Purge_removes_finished_instances_only_and_history_reads_back_typed()
    {
        await using var host = await DurableTestHost.StartAsync(azurite.ConnectionString, AzuriteFixture.UniqueName("h"), Waiter);
        var client = host.Client;
        var done = await client.ScheduleNewOrchestrationInstanceAsync("Waiter", "a");
        var running = await client.ScheduleNewOrchestrationInstanceAsync("Waiter", "b");
        await client.WaitForInstanceStartAsync(done).WaitAsync(Timeout);
        await client.RaiseEventAsync(done, "go", "1");
        await client.WaitForInstanceCompletionAsync(done).WaitAsync(Timeout);
        await client.WaitForInstanceStartAsync(running).WaitAsync(Timeout);

        var history = await client.GetOrchestrationHistoryAsync(done);
        Assert.Contains(history, e => e is ExecutionStartedEvent { Name: "Waiter" });
        Assert.Contains(history, e => e is EventRaisedEvent { Name: "go" });
        Assert.Contains(history, e => e is ExecutionCompletedEvent);

        Assert.Equal(0, (await client.PurgeInstanceAsync(running)).PurgedInstanceCount);
        Assert.Equal(1, (await client.PurgeInstanceAsync(done)).PurgedInstanceCount);
        Assert.Null(await client.GetInstanceAsync(done));
        Assert.Empty(await client.GetOrchestrationHistoryAsync(done));
        Assert.NotNull(await client.GetInstanceAsync(running));

        await client.TerminateInstanceAsync(running);
        await client.WaitForInstanceCompletionAsync(running).WaitAsync(Timeout);
        Assert.Equal(1, (await client.PurgeAllInstancesAsync(new PurgeInstancesFilter())).PurgedInstanceCount);
        Assert.Null(await client.GetInstanceAsync(running));
    }

    [Fact]
    public async Task Query_pages_through_instances_with_filters()
    {
        await using var host = await DurableTestHost.StartAsync(azurite.ConnectionString, AzuriteFixture.UniqueName("h"), Waiter);
        var client = host.Client;
        var before = DateTimeOffset.UtcNow.AddSeconds(-2);
        var ids = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            ids.Add(await client.ScheduleNewOrchestrationInstanceAsync("Waiter", "q", new StartOrchestrationOptions($"batch-{i}")));
        }

        await client.ScheduleNewOrchestrationInstanceAsync("Waiter", "q", new StartOrchestrationOptions("other-1"));
        await client.WaitForInstanceStartAsync("batch-0").WaitAsync(Timeout);
        await client.RaiseEventAsync("batch-0", "go", "!");
        await client.WaitForInstanceCompletionAsync("batch-0").WaitAsync(Timeout);

        var seen = new List<string>();
        var pages = 0;
        await foreach (var page in client.GetAllInstancesAsync(new OrchestrationQuery { InstanceIdPrefix = "batch-", PageSize = 2, CreatedFrom = before }).AsPages())
        {
            pages++;
            seen.AddRange(page.Values.Select(i => i.InstanceId));
        }

        Assert.True(pages >= 3, $"{pages} pages");
        Assert.Equal(ids.Order(), seen.Order());

        var completed = await client.GetAllInstancesAsync(new OrchestrationQuery { Statuses = [OrchestrationRuntimeStatus.Completed], FetchInputsAndOutputs = true }).ToListAsync();
        var only = Assert.Single(completed);
        Assert.Equal("batch-0", only.InstanceId);
        Assert.Equal("q!", only.ReadOutputAs<string>());
        Assert.Empty(await client.GetAllInstancesAsync(new OrchestrationQuery { CreatedTo = before }).ToListAsync());
    }

    [Fact]
    public async Task Timers_and_buffered_events_survive_a_worker_restart()
    {
        var hub = AzuriteFixture.UniqueName("h");
        static void Register(DurableTaskRegistry r) => r.AddOrchestratorFunc<string, string>("Patient", async (ctx, s) =>
        {
            var start = ctx.CurrentUtcDateTime;
            await ctx.CreateTimer(TimeSpan.FromSeconds(3), CancellationToken.None);
            var waited = ctx.CurrentUtcDateTime - start;
            var first = await ctx.WaitForExternalEvent<string>("data");
            var second = await ctx.WaitForExternalEvent<string>("data");

            // The provider delays a timer message by whole seconds (queue visibility), so a timer may fire up to 1 s early.
            return $"{s}:{first}{second}:{(waited >= TimeSpan.FromSeconds(2) ? "timer held" : $"timer fired after {waited}")}";
        });

        var first = await DurableTestHost.StartAsync(azurite.ConnectionString, hub, Register, "restart-one");
        var id = await first.Client.ScheduleNewOrchestrationInstanceAsync("Patient", "t");
        await first.Client.WaitForInstanceStartAsync(id).WaitAsync(Timeout);
        await first.Client.RaiseEventAsync(id, "data", "1");
        await first.Client.RaiseEventAsync(id, "data", "2");
        await Task.Delay(500);
        await first.DisposeAsync();

        await using var second = await DurableTestHost.StartAsync(azurite.ConnectionString, hub, Register, "restart-two");
        var done = await second.Client.WaitForInstanceCompletionAsync(id, true).WaitAsync(Timeout);
        Assert.Equal("t:12:timer held", done.ReadOutputAs<string>());
    }

    [Fact]
    public async Task Continue_as_new_restarts_with_new_input_and_keeps_unprocessed_events()
    {
        await using var host = await DurableTestHost.StartAsync(azurite.ConnectionString, AzuriteFixture.UniqueName("h"), r => r.AddOrchestratorFunc<int, int>("Counter", async (ctx, n) =>
        {
            if (n >= 3)
            {
                return n;
            }

            await ctx.WaitForExternalEvent<int>("tick");
            ctx.ContinueAsNew(n + 1, preserveUnprocessedEvents: true);
            return -1;
        }));
        var id = await host.Client.ScheduleNewOrchestrationInstanceAsync("Counter", 0);
        await host.Client.WaitForInstanceStartAsync(id).WaitAsync(Timeout);
        for (var i = 0; i < 3; i++)
        {
            await host.Client.RaiseEventAsync(id, "tick", i);
        }

        var done = await host.Client.WaitForInstanceCompletionAsync(id, true).WaitAsync(Timeout);
        Assert.Equal((OrchestrationRuntimeStatus.Completed, "3"), (done.RuntimeStatus, done.SerializedOutput));
    }
}
