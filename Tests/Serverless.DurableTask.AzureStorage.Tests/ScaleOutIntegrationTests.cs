using System.Collections.Concurrent;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.DependencyInjection;
using Serverless.Testing;
using Xunit;

namespace Serverless.DurableTask.AzureStorage.Tests;

/// <summary>Two hosts on one task hub: the provider's partitions and the shared work-item queue spread the work.</summary>
public sealed class ScaleOutIntegrationTests(AzuriteFixture azurite) : IClassFixture<AzuriteFixture>
{
    private sealed record WorkerTag(string Name);

    private sealed class TaggedWork(WorkerTag tag, ConcurrentDictionary<int, int> runs) : TaskActivity<int, string>
    {
        public override async Task<string> RunAsync(TaskActivityContext context, int input)
        {
            runs.AddOrUpdate(input, 1, (_, n) => n + 1);
            await Task.Delay(30);
            return $"{input}@{tag.Name}";
        }
    }

    private static void Register(DurableTaskRegistry registry) => registry
        .AddActivity<TaggedWork>()
        .AddOrchestratorFunc<int, string[]>("FanOut", async (ctx, n) =>
            await Task.WhenAll(Enumerable.Range(0, n).Select(i => ctx.CallActivityAsync<string>(nameof(TaggedWork), i))));

    [Fact]
    public async Task Two_hosts_share_a_hub_and_complete_every_run_once()
    {
        var hub = AzuriteFixture.UniqueName("h");
        var runs = new ConcurrentDictionary<int, int>();
        await using var one = await DurableTestHost.StartAsync(azurite.ConnectionString, hub, Register, "worker-one", s => s.AddSingleton(new WorkerTag("one")).AddSingleton(runs));
        await using var two = await DurableTestHost.StartAsync(azurite.ConnectionString, hub, Register, "worker-two", s => s.AddSingleton(new WorkerTag("two")).AddSingleton(runs));

        var ids = new List<string>();
        for (var i = 0; i < 4; i++)
        {
            ids.Add(await one.Client.ScheduleNewOrchestrationInstanceAsync("FanOut", 50, new StartOrchestrationOptions($"fan-{i}")));
        }

        var results = new List<string>();
        foreach (var id in ids)
        {
            var done = await two.Client.WaitForInstanceCompletionAsync(id, true).WaitAsync(TimeSpan.FromSeconds(120));
            Assert.Equal(OrchestrationRuntimeStatus.Completed, done.RuntimeStatus);
            var output = done.ReadOutputAs<string[]>()!;
            Assert.Equal(Enumerable.Range(0, 50), output.Select(r => int.Parse(r.Split('@')[0], System.Globalization.CultureInfo.InvariantCulture)));
            results.AddRange(output);
        }

        var byWorker = results.GroupBy(r => r.Split('@')[1]).ToDictionary(g => g.Key, g => g.Count());
        Assert.True(byWorker.GetValueOrDefault("one") > 0 && byWorker.GetValueOrDefault("two") > 0, $"work was not spread: {string.Join(", ", byWorker)}");

        // Every activity input (0..49) ran once per run: four runs, four executions each, never more on a healthy pair of hosts.
        Assert.Equal(50, runs.Count);
        Assert.All(runs.Values, n => Assert.Equal(4, n));
    }
}
