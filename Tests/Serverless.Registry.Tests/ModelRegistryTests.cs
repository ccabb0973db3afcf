using Serverless.Domain.Datasets;
using Serverless.Domain.Models;
using Serverless.Testing;
using Xunit;

namespace Serverless.Registry.Tests;

public sealed class ModelRegistryTests(AzuriteFixture azurite) : IClassFixture<AzuriteFixture>
{
    private static readonly DateTimeOffset Now = new(2026, 11, 22, 12, 0, 0, TimeSpan.Zero);

    private async Task<ModelRegistry> NewRegistryAsync()
    {
        var registry = new ModelRegistry(azurite.Storage.Tables, azurite.Storage.Blobs, RegistryFixture.UniqueTables());
        await registry.InitializeAsync();
        return registry;
    }

    private static ModelRegistration Registration(string runId, double auc = 0.9) => new(
        "churn",
        runId,
        new ModelSignature(TaskKind.Binary, "churned", [new SignatureInput("age", ColumnKind.Numeric), new SignatureInput("plan", ColumnKind.Categorical, ["free", "pro"])], ["no", "yes"]),
        new Dictionary<string, double> { ["auc"] = auc },
        new ModelLineage { Project = "churn", RunId = runId, DatasetVersion = 1, Trainer = "lightgbm" },
        new byte[] { 1, 2, 3 },
        "# churn");

    [Fact]
    public async Task Registering_is_idempotent_per_run_and_versions_count_up()
    {
        var registry = await NewRegistryAsync();
        var first = await registry.RegisterAsync(Registration("run-a"), Now);
        var again = await registry.RegisterAsync(Registration("run-a"), Now);
        var second = await registry.RegisterAsync(Registration("run-b"), Now);

        Assert.Equal(1, first.Version);
        Assert.Equal(1, again.Version);
        Assert.Equal(2, second.Version);
        var model = await registry.GetModelAsync("churn");
        Assert.Equal(2, model!.LatestVersion);
        Assert.Equal("churn", model.Project);

        var read = await registry.GetVersionAsync("churn", 1);
        Assert.Equal(TaskKind.Binary, read.Signature.Task);
        Assert.Equal(["free", "pro"], read.Signature.Inputs[1].Categories);
        Assert.Equal("run-a", read.Lineage.RunId);
        Assert.Equal(0.9, read.Metrics["auc"]);
        Assert.Equal(new byte[] { 1, 2, 3 }, await registry.LoadOnnxAsync(read));
        Assert.Equal([1, 2], (await registry.ListVersionsAsync("churn")).Select(v => v.Version));
    }

    [Fact]
    public async Task Concurrent_registrations_get_distinct_consecutive_versions()
    {
        var registry = await NewRegistryAsync();
        var versions = await Task.WhenAll(Enumerable.Range(0, 8).Select(i => registry.RegisterAsync(Registration($"run-{i}"), Now)));
        Assert.Equal(Enumerable.Range(1, 8), versions.Select(v => v.Version).Order());
    }

    [Fact]
    public async Task Aliases_promote_and_roll_back_with_an_audit_trail()
    {
        var registry = await NewRegistryAsync();
        for (var i = 0; i < 3; i++)
        {
            await registry.RegisterAsync(Registration($"run-{i}"), Now);
        }

        await registry.SetAliasAsync("churn", "production", 1, "pipeline", "gates passed", Now);
        await registry.SetAliasAsync("churn", "production", 2, "pipeline", "gates passed", Now.AddMinutes(1));
        await registry.SetAliasAsync("churn", "production", 3, "alice", "manual promotion", Now.AddMinutes(2));
        Assert.Equal(3, await registry.GetAliasAsync("churn", "production"));
        Assert.Equal(["production"], (await registry.GetVersionAsync("churn", 3)).Aliases);

        var back = await registry.RollBackAliasAsync("churn", "production", "bob", "bad canary", Now.AddMinutes(3));
        Assert.Equal((3, 2), (back.FromVersion, back.ToVersion));
        var backAgain = await registry.RollBackAliasAsync("churn", "production", "bob", "still bad", Now.AddMinutes(4));
        Assert.Equal((2, 1), (backAgain.FromVersion, backAgain.ToVersion));
        var removed = await registry.RollBackAliasAsync("churn", "production", "bob", "nothing before", Now.AddMinutes(5));
        Assert.Null(removed.ToVersion);
        Assert.Null(await registry.GetAliasAsync("churn", "production"));
        await Assert.ThrowsAsync<RegistryNotFoundException>(() => registry.RollBackAliasAsync("churn", "production", "bob", "gone", Now));

        var audit = await registry.GetAuditLogAsync("churn");
        Assert.Equal(6, audit.Count);
        Assert.Equal("bob", audit[0].Actor); // newest first
        Assert.True(audit[0].IsRollback);
        Assert.Equal("gates passed", audit[^1].Reason);
        Assert.False(audit[^1].IsRollback);
    }

    [Fact]
    public async Task Unknown_versions_and_bad_names_are_refused_and_change_nothing()
    {
        var registry = await NewRegistryAsync();
        await registry.RegisterAsync(Registration("run-a"), Now);
        await registry.SetAliasAsync("churn", "production", 1, "pipeline", "first", Now);

        var missing = await Assert.ThrowsAsync<RegistryNotFoundException>(() => registry.SetAliasAsync("churn", "production", 7, "x", "y", Now));
        Assert.Contains("version 7", missing.Message, StringComparison.Ordinal);
        var badName = await Assert.ThrowsAsync<ArgumentException>(() => registry.GetModelAsync("Churn_Model"));
        Assert.Contains("Churn_Model", badName.Message, StringComparison.Ordinal);
        Assert.Equal(1, await registry.GetAliasAsync("churn", "production"));
        Assert.Single(await registry.GetAuditLogAsync("churn"));
    }
}
