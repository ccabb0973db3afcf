using System.Collections.Concurrent;
using Microsoft.Extensions.DependencyInjection;
using Serverless.Testing;
using Xunit;

namespace Serverless.Durable.Tests;

public sealed class ScaleOutIntegrationTests(AzuriteFixture azurite) : IClassFixture<AzuriteFixture>
{
    private sealed record WorkerTag(string Name);

    private sealed class TaggedWork(WorkerTag tag, ConcurrentDictionary<int, int> runs) : TaskActivity<int, string>
    {
        public override async Task<string> RunAsync(TaskActivityContext context, int input)
        {
            runs.AddOrUpdate(input, 1, (_, n) => n + 1);
            await Task.Delay(15, context.CancellationToken);
            return $"{input}@{tag.Name}";
        }
    }

    private static void Register(DurableTaskRegistry registry) => registry
        .AddActivity<TaggedWork>()
        .AddOrchestratorFunc<int, string[]>("FanOut", async (ctx, n) =>
            await Task.WhenAll(Enumerable.Range(0, n).Select(i => ctx.CallActivityAsync<string>(nameof(TaggedWork), i))));

    [Fact]
    public async Task Two_workers_share_a_hub_and_complete_a_200_activity_fan_out_each_result_used_once()
    {
        var hub = AzuriteFixture.UniqueName("h");
        var runs = new ConcurrentDictionary<int, int>();
        await using var one = await DurableTestHost.StartAsync(azurite.Storage, hub, Register, "worker-one", s => s.AddSingleton(new WorkerTag("one")).AddSingleton(runs));
        await using var two = await DurableTestHost.StartAsync(azurite.Storage, hub, Register, "worker-two", s => s.AddSingleton(new WorkerTag("two")).AddSingleton(runs));

        var id = await one.Client.ScheduleNewOrchestrationInstanceAsync("FanOut", 200);
        var done = await one.Client.WaitForInstanceCompletionAsync(id, true).WaitAsync(TimeSpan.FromSeconds(90));

        Assert.Equal(OrchestrationRuntimeStatus.Completed, done.RuntimeStatus);
        var results = done.ReadOutputAs<string[]>()!;
        Assert.Equal(Enumerable.Range(0, 200), results.Select(r => int.Parse(r.Split('@')[0], System.Globalization.CultureInfo.InvariantCulture)));
        var byWorker = results.GroupBy(r => r.Split('@')[1]).ToDictionary(g => g.Key, g => g.Count());
        Assert.True(byWorker.GetValueOrDefault("one") > 0 && byWorker.GetValueOrDefault("two") > 0, $"work was not spread: {string.Join(", ", byWorker)}");
        Assert.All(runs.Values, n => Assert.Equal(1, n));
        Assert.Equal(200, runs.Count);

        // Partitions are balanced between the two hosts over a few lease cycles.
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (one.Worker.OwnedPartitions.Count != 2 || two.Worker.OwnedPartitions.Count != 2)
        {
            await Task.Delay(200, timeout.Token);
        }

        Assert.Empty(one.Worker.OwnedPartitions.Intersect(two.Worker.OwnedPartitions));
    }
}
