using Serverless.Domain.Datasets;
using Serverless.Domain.Models;
using Serverless.Testing;
using Xunit;

namespace Serverless.Registry.Tests;

/// <summary>Every alias change leaves exactly one event in the outbox, written with the change itself.</summary>
public sealed class ModelAliasOutboxTests(AzuriteFixture azurite) : IClassFixture<AzuriteFixture>
{
    private static readonly DateTimeOffset Now = new(2026, 11, 22, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task Set_move_and_roll_back_each_leave_one_pending_event_with_versions_actor_and_correlation()
    {
        var (registry, outbox) = await NewAsync();
        await RegisterAsync(registry, "churn", 2);

        var set = await registry.SetAliasAsync("churn", "production", 1, "pipeline", "gates passed", Now, "corr-1");
        var move = await registry.SetAliasAsync("churn", "production", 2, "alice", "manual", Now.AddMinutes(1));
        var back = await registry.RollBackAliasAsync("churn", "production", "bob", "bad canary", Now.AddMinutes(2), "corr-3");
        var removed = await registry.RollBackAliasAsync("churn", "production", "bob", "nothing before", Now.AddMinutes(3));
        await registry.SetTrafficPolicyAsync("churn", "{\"canary\":1}", 1, "alice", "canary", Now.AddMinutes(4)); // not an alias change

        var pending = await outbox.ListPendingAsync();
        Assert.Equal([set.EventId, move.EventId, back.EventId, removed.EventId], pending.Select(p => p.EventId));
        Assert.Equal(4, pending.Select(p => p.EventId).Distinct().Count());
        Assert.Equal((null, 1, "pipeline", "corr-1"), (pending[0].Change.FromVersion, pending[0].Change.ToVersion, pending[0].Change.Actor, pending[0].Change.CorrelationId));
        Assert.Equal((1, 2, "alice", (string?)null), (pending[1].Change.FromVersion, pending[1].Change.ToVersion, pending[1].Change.Actor, pending[1].Change.CorrelationId));
        Assert.Equal((2, 1, true, "corr-3"), (pending[2].Change.FromVersion, pending[2].Change.ToVersion, pending[2].Change.IsRollback, pending[2].Change.CorrelationId));
        Assert.Equal((1, (int?)null, "bad canary"), (pending[3].Change.FromVersion, pending[3].Change.ToVersion, pending[2].Change.Reason));

        // The audit log carries the same event ids.
        var audit = await registry.GetAuditLogAsync("churn", "production");
        Assert.Equal(pending.Select(p => p.EventId).Reverse(), audit.Select(a => a.EventId));

        await outbox.CompleteAsync(pending[0]);
        await outbox.CompleteAsync(pending[0]); // twice is fine
        Assert.Equal(3, (await outbox.ListPendingAsync()).Count);
        Assert.Equal(2, (await outbox.ListPendingAsync(take: 2)).Count);
    }

    [Fact]
    public async Task A_failed_change_leaves_no_event_and_events_of_all_models_are_listed()
    {
        var (registry, outbox) = await NewAsync();
        await RegisterAsync(registry, "churn", 1);
        await RegisterAsync(registry, "wine", 1);

        await Assert.ThrowsAsync<RegistryNotFoundException>(() => registry.SetAliasAsync("churn", "production", 9, "x", "no such version", Now));
        await Assert.ThrowsAsync<RegistryNotFoundException>(() => registry.RollBackAliasAsync("wine", "production", "x", "not set", Now));
        Assert.Empty(await outbox.ListPendingAsync());

        await Task.WhenAll(
            registry.SetAliasAsync("churn", "staging", 1, "a", "r", Now),
            registry.SetAliasAsync("wine", "staging", 1, "a", "r", Now));
        Assert.Equal(["churn", "wine"], (await outbox.ListPendingAsync()).Select(p => p.Change.Model).Order());
    }

    private async Task<(ModelRegistry Registry, ModelAliasOutbox Outbox)> NewAsync()
    {
        var tables = RegistryFixture.UniqueTables();
        var registry = new ModelRegistry(azurite.Storage.Tables, azurite.Storage.Blobs, tables);
        await registry.InitializeAsync();
        return (registry, new ModelAliasOutbox(azurite.Storage.Tables, tables));
    }

    private static async Task RegisterAsync(ModelRegistry registry, string model, int versions)
    {
        for (var i = 1; i <= versions; i++)
        {
            await registry.RegisterAsync(new ModelRegistration(
                model,
                $"run-{i}",
                new ModelSignature(TaskKind.Binary, "y", [new SignatureInput("x", ColumnKind.Numeric)], ["no", "yes"]),
                new Dictionary<string, double> { ["auc"] = 0.9 },
                new ModelLineage { Project = model, RunId = $"run-{i}", DatasetVersion = 1, Trainer = "lightgbm" },
                new byte[] { 1, 2, 3 },
                null), Now);
        }
    }
}
