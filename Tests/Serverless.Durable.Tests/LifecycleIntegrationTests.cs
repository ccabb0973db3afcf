using System.Text.Json;
using Serverless.Storage;
using Serverless.Testing;
using Xunit;

namespace Serverless.Durable.Tests;

public sealed class LifecycleIntegrationTests(AzuriteFixture azurite) : IClassFixture<AzuriteFixture>
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

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
        var hub = AzuriteFixture.UniqueName("h");
        await using var host = await DurableTestHost.StartAsync(azurite.Storage, hub, Waiter);
        var client = host.Client;
        var id = await client.ScheduleNewOrchestrationInstanceAsync("Waiter", "x");
        await client.WaitForInstanceStartAsync(id).WaitAsync(Timeout);

        await client.SuspendInstanceAsync(id, "maintenance");
        await WaitForStatusAsync(client, id, OrchestrationRuntimeStatus.Suspended);
        await client.RaiseEventAsync(id, "go", "!");
        await Task.Delay(500);
        Assert.Equal(OrchestrationRuntimeStatus.Suspended, (await client.GetInstanceAsync(id))!.RuntimeStatus);

        await client.ResumeInstanceAsync(id);
        var done = await client.WaitForInstanceCompletionAsync(id, true).WaitAsync(Timeout);
        Assert.Equal("x!", done.ReadOutputAs<string>());
        Assert.Equal("waiting", JsonDocument.Parse(done.SerializedCustomStatus!).RootElement.GetProperty("stage").GetString());

        var other = await client.ScheduleNewOrchestrationInstanceAsync("Waiter", "y");
        await client.TerminateInstanceAsync(other, "no longer needed");
        var terminated = await client.WaitForInstanceCompletionAsync(other, true).WaitAsync(Timeout);
        Assert.Equal(OrchestrationRuntimeStatus.Terminated, terminated.RuntimeStatus);
        Assert.Equal("no longer needed", terminated.ReadOutputAs<string>());
    }

    [Fact]
    public async Task Purge_removes_finished_instances_only()
    {
        var hub = AzuriteFixture.UniqueName("h");
        await using var host = await DurableTestHost.StartAsync(azurite.Storage, hub, Waiter);
        var client = host.Client;
        var done = await client.ScheduleNewOrchestrationInstanceAsync("Waiter", "a");
        var running = await client.ScheduleNewOrchestrationInstanceAsync("Waiter", "b");
        await client.RaiseEventAsync(done, "go", "1");
        await client.WaitForInstanceCompletionAsync(done).WaitAsync(Timeout);
        await client.WaitForInstanceStartAsync(running).WaitAsync(Timeout);

        Assert.Equal(0, (await client.PurgeInstanceAsync(running)).PurgedInstanceCount);
        Assert.Equal(1, (await client.PurgeInstanceAsync(done)).PurgedInstanceCount);
        Assert.Null(await client.GetInstanceAsync(done));
        Assert.Empty(await client.GetHistoryAsync(done));
        Assert.NotNull(await client.GetInstanceAsync(running));

        await client.TerminateInstanceAsync(running);
        await client.WaitForInstanceCompletionAsync(running).WaitAsync(Timeout);
        Assert.Equal(1, (await client.PurgeAllInstancesAsync(new PurgeInstancesFilter())).PurgedInstanceCount);
        Assert.Null(await client.GetInstanceAsync(running));
    }

    [Fact]
    public async Task Query_pages_through_instances_with_filters()
    {
        var hub = AzuriteFixture.UniqueName("h");
        await using var host = await DurableTestHost.StartAsync(azurite.Storage, hub, Waiter);
        var client = host.Client;
        var before = DateTimeOffset.UtcNow.AddSeconds(-1);
        var ids = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            ids.Add(await client.ScheduleNewOrchestrationInstanceAsync("Waiter", "q", new StartOrchestrationOptions($"batch-{i}")));
        }

        await client.ScheduleNewOrchestrationInstanceAsync("Waiter", "q", new StartOrchestrationOptions("other-1"));
        await client.RaiseEventAsync("batch-0", "go", "!");
        await client.WaitForInstanceCompletionAsync("batch-0").WaitAsync(Timeout);

        var seen = new List<string>();
        var pages = 0;
        var query = new OrchestrationQuery { InstanceIdPrefix = "batch-", PageSize = 2, CreatedFrom = before };
        do
        {
            var page = await client.QueryInstancesAsync(query);
            pages++;
            seen.AddRange(page.Instances.Select(i => i.InstanceId));
            query = query with { ContinuationToken = page.ContinuationToken };
        }
        while (query.ContinuationToken is not null);

        Assert.Equal(3, pages);
        Assert.Equal(ids, seen);

        var completed = await client.QueryInstancesAsync(new OrchestrationQuery { Statuses = [OrchestrationRuntimeStatus.Completed], FetchInputsAndOutputs = true });
        var only = Assert.Single(completed.Instances);
        Assert.Equal("batch-0", only.InstanceId);
        Assert.Equal("q!", only.ReadOutputAs<string>());
        Assert.Empty((await client.QueryInstancesAsync(new OrchestrationQuery { CreatedTo = before })).Instances);
    }

    [Fact]
    public async Task Poison_message_is_dead_lettered_and_fails_the_instance_with_the_reason()
    {
        var hub = AzuriteFixture.UniqueName("h");
        await using var host = await DurableTestHost.StartAsync(azurite.Storage, hub, Waiter, configure: o => o.StorageProvider.MaxDequeueCount = 3);
        var client = host.Client;
        var id = await client.ScheduleNewOrchestrationInstanceAsync("Waiter", "p");
        await client.WaitForInstanceStartAsync(id).WaitAsync(Timeout);

        // An event whose large payload blob is missing: every attempt to process it fails.
        var names = new Storage.TaskHubNames(hub, 4);
        var body = $$"""{"instanceId":"{{id}}","payloadBlob":"{{id}}/missing.json"}""";
        await azurite.Storage.Queues.SendAsync(names.ControlQueueOf(id), body);

        var failed = await client.WaitForInstanceCompletionAsync(id).WaitAsync(Timeout);
        Assert.Equal(OrchestrationRuntimeStatus.Failed, failed.RuntimeStatus);
        Assert.Equal("PoisonMessage", failed.FailureDetails?.ErrorType);
        Assert.Contains("dead-letter table", failed.FailureDetails!.ErrorMessage, StringComparison.Ordinal);

        var letters = new List<TableEntity>();
        await foreach (var row in azurite.Storage.Tables.QueryAsync(names.DeadLetterTable, TableQuery.All))
        {
            letters.Add(row);
        }

        var letter = Assert.Single(letters);
        Assert.Equal(id, letter.GetString("InstanceId"));
        Assert.Equal(body, letter.GetString("Body"));
    }

    [Fact]
    public async Task Timers_and_buffered_events_survive_a_worker_restart()
    {
        var hub = AzuriteFixture.UniqueName("h");
        void Register(DurableTaskRegistry r) => r.AddOrchestratorFunc<string, string>("Patient", async (ctx, s) =>
        {
            await ctx.CreateTimer(TimeSpan.FromSeconds(3), CancellationToken.None);
            var first = await ctx.WaitForExternalEvent<string>("data");
            var second = await ctx.WaitForExternalEvent<string>("data");
            return $"{s}:{first}{second}";
        });

        var first = await DurableTestHost.StartAsync(azurite.Storage, hub, Register);
        var id = await first.Client.ScheduleNewOrchestrationInstanceAsync("Patient", "t");
        await first.Client.WaitForInstanceStartAsync(id).WaitAsync(Timeout);
        await first.Client.RaiseEventAsync(id, "data", "1");
        await first.Client.RaiseEventAsync(id, "data", "2");
        await Task.Delay(500);
        await first.DisposeAsync();

        await using var second = await DurableTestHost.StartAsync(azurite.Storage, hub, Register);
        var done = await second.Client.WaitForInstanceCompletionAsync(id, true).WaitAsync(Timeout);
        Assert.Equal("t:12", done.ReadOutputAs<string>());
        Assert.True(done.LastUpdatedAt - done.CreatedAt >= TimeSpan.FromSeconds(3));
    }

    [Fact]
    public async Task Continue_as_new_restarts_with_new_input_and_keeps_unprocessed_events()
    {
        var hub = AzuriteFixture.UniqueName("h");
        await using var host = await DurableTestHost.StartAsync(azurite.Storage, hub, r => r.AddOrchestratorFunc<int, int>("Counter", async (ctx, n) =>
        {
            if (n >= 3)
            {
                return n;
            }

            await ctx.WaitForExternalEvent<int>("tick");
            ctx.ContinueAsNew(n + 1);
            return -1;
        }));
        var id = await host.Client.ScheduleNewOrchestrationInstanceAsync("Counter", 0);
        for (var i = 0; i < 3; i++)
        {
            await host.Client.RaiseEventAsync(id, "tick", i);
        }

        var done = await host.Client.WaitForInstanceCompletionAsync(id, true).WaitAsync(Timeout);
        Assert.Equal((OrchestrationRuntimeStatus.Completed, "3"), (done.RuntimeStatus, done.SerializedOutput));
    }

    [Fact]
    public async Task Timer_longer_than_one_message_delay_is_chained_and_fires_on_time()
    {
        var hub = AzuriteFixture.UniqueName("h");
        await using var host = await DurableTestHost.StartAsync(
            azurite.Storage,
            hub,
            r => r.AddOrchestratorFunc<int, DateTime>("Sleeper", async (ctx, seconds) =>
            {
                var due = ctx.CurrentUtcDateTime.AddSeconds(seconds);
                await ctx.CreateTimer(due, CancellationToken.None);
                return ctx.CurrentUtcDateTime;
            }),
            configure: o => o.StorageProvider.MaxTimerMessageDelay = TimeSpan.FromSeconds(1));
        var id = await host.Client.ScheduleNewOrchestrationInstanceAsync("Sleeper", 3);

        var done = await host.Client.WaitForInstanceCompletionAsync(id, true).WaitAsync(Timeout);

        Assert.Equal(OrchestrationRuntimeStatus.Completed, done.RuntimeStatus);
        var woke = done.ReadOutputAs<DateTime>();
        Assert.True(woke - done.CreatedAt.UtcDateTime >= TimeSpan.FromSeconds(3), $"woke at {woke:o}, created {done.CreatedAt:o}");
        var history = await host.Client.GetHistoryAsync(id);
        Assert.Single(history, e => e.Type == HistoryEventType.TimerFired);
    }
}
