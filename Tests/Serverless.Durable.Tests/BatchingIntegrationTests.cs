using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Serverless.Durable.Storage;
using Serverless.Testing;
using Xunit;

namespace Serverless.Durable.Tests;

/// <summary>Batched work items (several activities per message) and batched control messages (several events per message).</summary>
public sealed class BatchingIntegrationTests(AzuriteFixture azurite) : IClassFixture<AzuriteFixture>
{
    private sealed record WorkerTag(string Name);

    /// <summary>On worker "one", input 3 never finishes (until the host stops); everything else returns at once.</summary>
    private sealed class StuckOnOne(WorkerTag tag, ConcurrentDictionary<int, int> runs) : TaskActivity<int, string>
    {
        public override async Task<string> RunAsync(TaskActivityContext context, int input)
        {
            runs.AddOrUpdate(input, 1, (_, n) => n + 1);
            if (input == 3 && tag.Name == "one")
            {
                await Task.Delay(Timeout.Infinite, context.CancellationToken);
            }

            return $"{input}@{tag.Name}";
        }
    }

    private static void Register(DurableTaskRegistry registry) => registry
        .AddActivity<StuckOnOne>()
        .AddOrchestratorFunc<int, string[]>("FanOut", async (ctx, n) =>
            await Task.WhenAll(Enumerable.Range(0, n).Select(i => ctx.CallActivityAsync<string>(nameof(StuckOnOne), i))))
        .AddOrchestratorFunc<string?, string>("TwoEvents", async (ctx, _) =>
            await ctx.WaitForExternalEvent<string>("a") + await ctx.WaitForExternalEvent<string>("b"));

    private static async Task WaitUntilAsync(Func<bool> condition, TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        while (!condition())
        {
            await Task.Delay(50, cts.Token);
        }
    }

    [Fact]
    public async Task Batched_work_item_left_part_done_runs_again_whole_and_each_result_is_used_once()
    {
        var hub = AzuriteFixture.UniqueName("h");
        var runs = new ConcurrentDictionary<int, int>();
        DurableTestHost? one = await DurableTestHost.StartAsync(azurite.Storage, hub, Register, "batch-one", s => s.AddSingleton(new WorkerTag("one")).AddSingleton(runs), o => o.StorageProvider.WorkItemBatchSize = 8);
        DurableTestHost? two = null;
        try
        {
            // Eight activities of one episode travel in one work item; seven finish and report, one hangs.
            var id = await one.Client.ScheduleNewOrchestrationInstanceAsync("FanOut", 8);
            await WaitUntilAsync(() => runs.Count == 8 && one.Worker.CompletedActivityCount == 7, TimeSpan.FromSeconds(60));

            // The host stops with the work item part done: it goes back to the queue and another host runs it whole.
            two = await DurableTestHost.StartAsync(azurite.Storage, hub, Register, "batch-two", s => s.AddSingleton(new WorkerTag("two")).AddSingleton(runs), o => o.StorageProvider.WorkItemBatchSize = 8);
            await one.DisposeAsync();
            one = null;
            var done = await two.Client.WaitForInstanceCompletionAsync(id, true).WaitAsync(TimeSpan.FromSeconds(90));

            Assert.Equal(OrchestrationRuntimeStatus.Completed, done.RuntimeStatus);
            var results = done.ReadOutputAs<string[]>()!;
            Assert.Equal(Enumerable.Range(0, 8), results.Select(r => int.Parse(r.Split('@')[0], CultureInfo.InvariantCulture)));
            Assert.Equal("3@two", results[3]);
            Assert.Equal(8, two.Worker.CompletedActivityCount); // the whole item ran again on the second host
            Assert.All(runs.Values, n => Assert.Equal(2, n));
        }
        finally
        {
            if (one is not null)
            {
                await one.DisposeAsync();
            }

            if (two is not null)
            {
                await two.DisposeAsync();
            }
        }
    }

    [Fact]
    public async Task Control_message_with_several_events_applies_each_once_and_is_deleted()
    {
        var hub = AzuriteFixture.UniqueName("h");
        await using var host = await DurableTestHost.StartAsync(azurite.Storage, hub, Register, services: s => s.AddSingleton(new WorkerTag("one")).AddSingleton(new ConcurrentDictionary<int, int>()));
        var storage = host.Services.GetRequiredService<TaskHubStorage>();
        var id = await host.Client.ScheduleNewOrchestrationInstanceAsync("TwoEvents");
        await host.Client.WaitForInstanceStartAsync(id).WaitAsync(TimeSpan.FromSeconds(30));

        // One queue message carries both events.
        HistoryEvent Raised(string name, string value) => new() { Type = HistoryEventType.EventRaised, Name = name, Input = JsonSerializer.Serialize(value) };
        await storage.SendToInstanceAsync(TaskMessage.Batch(id, null, [Raised("a", "x"), Raised("b", "y")]), null, CancellationToken.None);
        var done = await host.Client.WaitForInstanceCompletionAsync(id, true).WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(OrchestrationRuntimeStatus.Completed, done.RuntimeStatus);
        Assert.Equal("xy", done.ReadOutputAs<string>());
        var queue = storage.Names.ControlQueueOf(id);
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        while (await storage.Queues.GetApproximateCountAsync(queue, cts.Token) != 0)
        {
            await Task.Delay(100, cts.Token);
        }
    }

    [Fact]
    public async Task Batch_too_large_for_a_queue_message_travels_in_a_blob()
    {
        var hub = AzuriteFixture.UniqueName("h");
        await using var host = await DurableTestHost.StartAsync(azurite.Storage, hub, Register, services: s => s.AddSingleton(new WorkerTag("one")).AddSingleton(new ConcurrentDictionary<int, int>()), configure: o => o.StartWorker = false);
        var storage = host.Services.GetRequiredService<TaskHubStorage>();
        await storage.EnsureCreatedAsync(CancellationToken.None);
        var events = Enumerable.Range(0, 3)
            .Select(i => new HistoryEvent { Type = HistoryEventType.TaskScheduled, EventId = i, Name = "Big", Input = JsonSerializer.Serialize(new string((char)('a' + i), 30_000)) })
            .ToList();

        var body = await storage.Codec.EncodeAsync(TaskMessage.Batch("big-instance", "e1", events), CancellationToken.None);
        Assert.True(body.Length < storage.Queues.MaxMessageLength, $"encoded batch is {body.Length} characters");
        var envelope = TaskMessageCodec.ReadEnvelope(body);
        Assert.NotNull(envelope.PayloadBlob);
        var loaded = await storage.Codec.LoadPayloadAsync(envelope, CancellationToken.None);

        var parts = loaded.Split().ToList();
        Assert.Equal(3, parts.Count);
        Assert.All(parts, p => Assert.Equal(("big-instance", "e1"), (p.InstanceId, p.ExecutionId)));
        Assert.Equal(events.Select(e => e.Input), parts.Select(p => p.Event!.Input));
    }
}
