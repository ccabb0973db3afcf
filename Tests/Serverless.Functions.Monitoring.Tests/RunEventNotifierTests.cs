using Serverless.Orchestrations.Monitoring;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.DurableTask.Worker;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Serverless.DurableTask.AzureStorage;
using Serverless.Monitoring.Stores;
using Serverless.Monitoring.Webhooks;
using Serverless.Orchestrations.Training;
using Serverless.Registry;
using Serverless.Storage.Azure;
using Serverless.Testing;

namespace Serverless.Functions.Monitoring.Tests;

/// <summary>
/// Issue 14 item 5 over the Durable Task Framework on Azurite and a real receiver: a run that finishes long after it
/// started is still announced, and an announcement is marked sent only once the webhook has it.
/// </summary>
public sealed class RunEventNotifierTests(AzuriteFixture azurite) : WebhookReceiverTest, IClassFixture<AzuriteFixture>
{
    private const string Finish = "finish";
    private readonly MonitoringStorageNames _names = new()
    {
        WebhooksTable = AzuriteFixture.UniqueName("webhooks"),
        WebhookDeliveriesTable = AzuriteFixture.UniqueName("deliveries"),
        RetrainsTable = AzuriteFixture.UniqueName("retrains"),
    };

    private readonly string _key = WebhookSecretOptions.GenerateKey();

    [Fact]
    public async Task A_run_finishing_seven_hours_after_it_started_is_announced_once_and_a_failed_delivery_is_retried_next_poll()
    {
        using var host = await StartDurableAsync();
        var client = host.Services.GetRequiredService<DurableTaskClient>();
        var clock = new ManualClock(DateTimeOffset.UtcNow);
        await Store().AddAsync(new WebhookSubscription(Receiver.Url("hook"), SignedWebhooks.Secret, [WebhookEventTypes.RunCompleted]), CancellationToken.None);
        var notifier = Notifier(client, clock);

        var runId = "train-late-" + Guid.NewGuid().ToString("N")[..12];
        await client.ScheduleNewOrchestrationInstanceAsync("LateRun", runId, new StartOrchestrationOptions(runId));
        await WaitUntilAsync(async () => (await client.GetInstanceAsync(runId))?.RuntimeStatus == OrchestrationRuntimeStatus.Running);
        Assert.Equal(0, await notifier.NotifyFinishedRunsAsync(CancellationToken.None)); // running: watched

        // Seven hours later (an approval wait), the run finishes; the webhook refuses the first pass (two attempts).
        clock.Advance(TimeSpan.FromHours(7));
        await client.RaiseEventAsync(runId, Finish);
        using (var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60)))
        {
            Assert.Equal(OrchestrationRuntimeStatus.Completed, (await client.WaitForInstanceCompletionAsync(runId, cts.Token)).RuntimeStatus);
        }

        Receiver.Script("hook", 500, 500, 200);
        Assert.Equal(0, await notifier.NotifyFinishedRunsAsync(CancellationToken.None));
        Assert.Empty(Receiver.Delivered("hook"));

        // The next poll (a fresh notifier too: nothing depends on this host's memory) delivers it, once.
        clock.Advance(TimeSpan.FromSeconds(5));
        Assert.Equal(1, await Notifier(client, clock).NotifyFinishedRunsAsync(CancellationToken.None));
        Assert.Equal(0, await notifier.NotifyFinishedRunsAsync(CancellationToken.None));
        Assert.Equal(0, await Notifier(client, clock).NotifyFinishedRunsAsync(CancellationToken.None));

        var delivered = Assert.Single(Receiver.Delivered("hook"));
        Assert.Equal(WebhookEventTypes.RunCompleted, delivered.Type);
        Assert.Equal(3, Receiver.Attempts("hook", delivered.Id));
        await host.StopAsync();
    }

    private async Task<IHost> StartDurableAsync()
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Services.AddAzureStorage(_ => new StorageConnectionOptions { ConnectionString = azurite.ConnectionString });
        builder.Services.AddDurableTaskAzureStorage(o =>
        {
            o.HubName = AzuriteFixture.UniqueName("hub");
            o.StorageProvider.MaxQueuePollingInterval = TimeSpan.FromMilliseconds(200);
        });
        builder.Services.AddDurableTaskWorker(b => b.AddTasks(r => r
            .AddOrchestratorFunc<string, RunReport>("LateRun", async (ctx, runId) =>
            {
                await ctx.WaitForExternalEvent<object?>(Finish);
                return new RunReport { RunId = runId, Project = "late", Trigger = "upload", Outcome = RunOutcomes.Registered };
            })).UseAzureStorage());
        builder.Services.AddDurableTaskClient(b => b.UseAzureStorage());
        var host = builder.Build();
        await host.StartAsync();
        return host;
    }

    private static async Task WaitUntilAsync(Func<Task<bool>> condition)
    {
        for (var i = 0; i < 300 && !await condition(); i++)
        {
            await Task.Delay(100);
        }
    }

    private RunEventNotifier Notifier(DurableTaskClient client, TimeProvider clock) => new(
        new TrainingRuns(client, new DatasetCatalog(azurite.Storage.Tables, RegistryTables.Default), new Serverless.Orchestrations.Artifacts.ArtifactStore(azurite.Storage.Blobs, RegistryTables.Default),
            new Serverless.Orchestrations.Training.Records.RunStore(azurite.Storage.Tables, azurite.Storage.Blobs, Serverless.Orchestrations.Training.Records.RunStoreNames.Default, clock, NullLogger<Serverless.Orchestrations.Training.Records.RunStore>.Instance),
            new ModelRegistry(azurite.Storage.Tables, azurite.Storage.Blobs, RegistryTables.Default), clock, NullLogger<TrainingRuns>.Instance),
        azurite.Storage.Tables,
        _names,
        new LedgeredWebhookDelivery(
            Store(),
            new WebhookSender(Http, Options.Create(new WebhookOptions { MaxRetryAttempts = 1, BaseDelay = TimeSpan.FromMilliseconds(10), UseJitter = false }), TimeProvider.System, NullLogger<WebhookSender>.Instance),
            new WebhookDeliveryLedger(azurite.Storage.Tables, _names, clock),
            NullLogger<LedgeredWebhookDelivery>.Instance),
        clock,
        NullLogger<RunEventNotifier>.Instance);

    private WebhookSubscriptionStore Store() => new(
        azurite.Storage.Tables,
        _names,
        new WebhookSecretProtector(Options.Create(new WebhookSecretOptions { SecretKey = _key })),
        TimeProvider.System,
        NullLogger<WebhookSubscriptionStore>.Instance,
        new WebhookDestinationPolicy(Options.Create(new WebhookNetworkOptions { AllowPrivateNetworks = true }), null)); // the receiver is on loopback

    private sealed class ManualClock(DateTimeOffset start) : TimeProvider
    {
        private DateTimeOffset _now = start;

        public void Advance(TimeSpan by) => _now += by;

        public override DateTimeOffset GetUtcNow() => _now;
    }
}
