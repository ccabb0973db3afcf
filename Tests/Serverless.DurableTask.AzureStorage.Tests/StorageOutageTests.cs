using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Serverless.Testing;
using Xunit;

namespace Serverless.DurableTask.AzureStorage.Tests;

/// <summary>Storage that goes away mid-run: the provider backs off and the run completes once it is back, with no help.</summary>
public sealed class StorageOutageTests
{
    [Fact]
    public async Task Run_completes_by_itself_after_azurite_restarts_mid_run()
    {
        await using var azurite = await AzuriteFixture.StartPrivateAsync();
        await using var host = await DurableTestHost.StartAsync(azurite.ConnectionString, AzuriteFixture.UniqueName("h"), r => r
            .AddActivityFunc<int, int>("Slow", async (_, i) =>
            {
                await Task.Delay(300);
                return i * 2;
            })
            .AddOrchestratorFunc<int, int>("Chain", async (ctx, n) =>
            {
                var sum = 0;
                for (var i = 0; i < n; i++)
                {
                    sum += await ctx.CallActivityAsync<int>("Slow", i);
                }

                return sum;
            }));
        var id = await host.Client.ScheduleNewOrchestrationInstanceAsync("Chain", 20);
        await host.Client.WaitForInstanceStartAsync(id).WaitAsync(TimeSpan.FromSeconds(60));
        await Task.Delay(1500);

        await azurite.StopAsync();
        await Task.Delay(TimeSpan.FromSeconds(5));
        await azurite.RestartAsync();

        var done = await host.Client.WaitForInstanceCompletionAsync(id, true).WaitAsync(TimeSpan.FromSeconds(150));
        Assert.Equal(OrchestrationRuntimeStatus.Completed, done.RuntimeStatus);
        Assert.Equal(Enumerable.Range(0, 20).Sum(i => i * 2), done.ReadOutputAs<int>());
    }
}
