using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.DurableTask.Worker;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Serverless.DurableTask.AzureStorage;
using Serverless.Storage.Azure;
using Serverless.Testing;
using Xunit;

namespace Serverless.Orchestrations.Tests.Durable;

/// <summary>The engine behaviour the pipeline's approval step relies on: an event ends a wait that has a timeout.</summary>
public sealed class ExternalEventProbeTests(AzuriteFixture azurite) : IClassFixture<AzuriteFixture>
{
    private sealed record Decision(bool Approved, string By, string? Reason);

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task An_event_ends_a_wait_with_a_timeout(bool activityFirst)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Services.AddAzureStorage(_ => new StorageConnectionOptions { ConnectionString = azurite.ConnectionString });
        builder.Services.AddDurableTaskAzureStorage(o =>
        {
            o.HubName = AzuriteFixture.UniqueName("hub");
            o.StorageProvider.MaxQueuePollingInterval = TimeSpan.FromMilliseconds(200);
        });
        builder.Services.AddDurableTaskWorker(b => b.AddTasks(r => r
            .AddActivityFunc<string, string>("Echo", (_, s) => s)
            .AddOrchestratorFunc<bool, string>("Wait", async (ctx, first) =>
            {
                if (first)
                {
                    await ctx.CallActivityAsync<string>("Echo", "x");
                }

                ctx.SetCustomStatus("waiting");
                var decision = await ctx.WaitForExternalEvent<Decision>("approval", TimeSpan.FromMinutes(10));
                return decision.By;
            })).UseAzureStorage());
        builder.Services.AddDurableTaskClient(b => b.UseAzureStorage());
        using var host = builder.Build();
        await host.StartAsync();
        var client = host.Services.GetRequiredService<DurableTaskClient>();
        var id = await client.ScheduleNewOrchestrationInstanceAsync("Wait", activityFirst);
        for (var i = 0; i < 100 && (await client.GetInstanceAsync(id, true))?.SerializedCustomStatus is null; i++)
        {
            await Task.Delay(100);
        }

        await client.RaiseEventAsync(id, "approval", new Decision(true, "alice", null));
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var done = await client.WaitForInstanceCompletionAsync(id, true, cts.Token);
        Assert.Equal(OrchestrationRuntimeStatus.Completed, done.RuntimeStatus);
        Assert.Equal("alice", done.ReadOutputAs<string>());
        await host.StopAsync();
    }
}
