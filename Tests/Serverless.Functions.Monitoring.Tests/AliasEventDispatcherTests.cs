using System.Text.Json;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Serverless.Domain.Datasets;
using Serverless.Domain.Models;
using Serverless.Monitoring.Stores;
using Serverless.Monitoring.Webhooks;
using Serverless.Registry;
using Serverless.Testing;

namespace Serverless.Functions.Monitoring.Tests;

/// <summary>The outbox dispatcher over real Azurite and a real receiver: a restart after partial progress delivers each event once per webhook.</summary>
public sealed class AliasEventDispatcherTests(AzuriteFixture azurite) : WebhookReceiverTest, IClassFixture<AzuriteFixture>
{
    private static readonly DateTimeOffset Now = new(2026, 11, 22, 12, 0, 0, TimeSpan.Zero);
    private readonly RegistryTables _registryTables = new() { Models = AzuriteFixture.UniqueName("models"), ArtifactsContainer = AzuriteFixture.UniqueName("artifacts") };
    private readonly MonitoringStorageNames _names = new() { WebhooksTable = AzuriteFixture.UniqueName("webhooks"), WebhookDeliveriesTable = AzuriteFixture.UniqueName("deliveries") };
    private readonly string _key = WebhookSecretOptions.GenerateKey();
    [Fact]
    public async Task A_dispatcher_restarted_after_partial_progress_delivers_each_event_once_per_webhook()
    {
        var registry = new ModelRegistry(azurite.Storage.Tables, azurite.Storage.Blobs, _registryTables);
        await registry.InitializeAsync();
        await TestModelVersions.RegisterAsync(registry, "churn", 2, Now);
        var store = Store();
        await store.AddAsync(new WebhookSubscription(Receiver.Url("steady"), SignedWebhooks.Secret, [WebhookEventTypes.AliasChanged]), CancellationToken.None);
        await store.AddAsync(new WebhookSubscription(Receiver.Url("flaky"), SignedWebhooks.Secret), CancellationToken.None);
        await store.AddAsync(new WebhookSubscription(Receiver.Url("runs-only"), SignedWebhooks.Secret, [WebhookEventTypes.RunCompleted]), CancellationToken.None);

        // "flaky" refuses the first event's whole first pass (two attempts), then accepts everything.
        Receiver.Script("flaky", 500, 500, 200);
        var changes = new[]
        {
            await registry.SetAliasAsync("churn", "production", 1, "alice", "first", Now, "corr-a"),
            await registry.SetAliasAsync("churn", "production", 2, "alice", "second", Now.AddMinutes(1)),
            await registry.RollBackAliasAsync("churn", "production", "bob", "bad", Now.AddMinutes(2)),
        };

        // First dispatcher: "steady" gets all three; "flaky" misses the first, which stays pending.
        Assert.Equal(2, await Dispatcher().DispatchPendingAsync(CancellationToken.None));
        Assert.Equal([changes[0].EventId], (await Outbox().ListPendingAsync()).Select(p => p.EventId));

        // A new dispatcher (the host restarted): the pending event goes to "flaky" only; "steady" already has it.
        Assert.Equal(1, await Dispatcher().DispatchPendingAsync(CancellationToken.None));
        Assert.Equal(0, await Dispatcher().DispatchPendingAsync(CancellationToken.None));
        Assert.Empty(await Outbox().ListPendingAsync());

        var ids = changes.Select(c => c.EventId!).Order().ToList();
        foreach (var hook in new[] { "steady", "flaky" })
        {
            var delivered = Receiver.Delivered(hook);
            Assert.Equal(ids, delivered.Select(d => d.Id).Order());
            Assert.All(delivered, d => Assert.Equal(WebhookEventTypes.AliasChanged, d.Type));
        }

        Assert.Equal(3, Receiver.For("steady").Length);
        Assert.Equal(3, Receiver.Attempts("flaky", changes[0].EventId!)); // two refused in the first pass, one accepted after the restart
        Assert.Empty(Receiver.For("runs-only"));

        var first = JsonDocument.Parse(Receiver.Delivered("flaky").Single(d => d.Id == changes[0].EventId).Body).RootElement;
        Assert.Equal("models/churn/aliases/production", first.GetProperty("subject").GetString());
        Assert.Equal(JsonValueKind.Null, first.GetProperty("data").GetProperty("fromVersion").ValueKind);
        Assert.Equal(1, first.GetProperty("data").GetProperty("toVersion").GetInt32());
        Assert.Equal("corr-a", first.GetProperty("data").GetProperty("correlationId").GetString());
        Assert.Equal(Now, first.GetProperty("time").GetDateTimeOffset());
    }

    [Fact]
    public async Task A_webhook_that_keeps_failing_is_given_up_after_the_pass_limit_and_the_event_leaves_the_outbox()
    {
        var registry = new ModelRegistry(azurite.Storage.Tables, azurite.Storage.Blobs, _registryTables);
        await registry.InitializeAsync();
        await TestModelVersions.RegisterAsync(registry, "wine", 1, Now);
        await Store().AddAsync(new WebhookSubscription(Receiver.Url("down"), SignedWebhooks.Secret), CancellationToken.None);
        Receiver.Script("down", 503);
        var change = await registry.SetAliasAsync("wine", "staging", 1, "alice", "try", Now);

        for (var pass = 1; pass < AliasEventDispatcher.MaxPasses; pass++)
        {
            Assert.Equal(0, await Dispatcher().DispatchPendingAsync(CancellationToken.None));
        }

        Assert.Equal(1, await Dispatcher().DispatchPendingAsync(CancellationToken.None));
        Assert.Empty(await Outbox().ListPendingAsync());
        Assert.Equal(AliasEventDispatcher.MaxPasses * 2, Receiver.Attempts("down", change.EventId!)); // each pass: the first attempt and one retry
        var record = Assert.Single(await new WebhookDeliveryLedger(azurite.Storage.Tables, _names, TimeProvider.System).GetAsync(change.EventId!, CancellationToken.None)).Value;
        Assert.False(record.Delivered);
        Assert.Equal(AliasEventDispatcher.MaxPasses, record.Passes);
        Assert.Equal(503, record.StatusCode);
    }

    private ModelAliasOutbox Outbox() => new(azurite.Storage.Tables, _registryTables);

    private WebhookSubscriptionStore Store() => new(
        azurite.Storage.Tables,
        _names,
        new WebhookSecretProtector(Options.Create(new WebhookSecretOptions { SecretKey = _key })),
        TimeProvider.System,
        NullLogger<WebhookSubscriptionStore>.Instance,
        new WebhookDestinationPolicy(Options.Create(new WebhookNetworkOptions { AllowPrivateNetworks = true }), null)); // the receiver is on loopback

    /// <summary>A fresh dispatcher with its own objects, as after a host restart.</summary>
    private AliasEventDispatcher Dispatcher() => new(
        Outbox(),
        Store(),
        new LedgeredWebhookDelivery(
            Store(),
            new WebhookSender(Http, Options.Create(new WebhookOptions { MaxRetryAttempts = 1, BaseDelay = TimeSpan.FromMilliseconds(10), UseJitter = false }), TimeProvider.System, NullLogger<WebhookSender>.Instance),
            new WebhookDeliveryLedger(azurite.Storage.Tables, _names, TimeProvider.System),
            NullLogger<LedgeredWebhookDelivery>.Instance),
        NullLogger<AliasEventDispatcher>.Instance);
}
