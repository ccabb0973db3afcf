using Serverless.Domain.Datasets;
using Serverless.Domain.Models;
using Serverless.Testing;
using Xunit;

namespace Serverless.Registry.Tests;

/// <summary>
/// Promotion is a compare-and-set on the alias row: <see cref="ModelRegistry.SetAliasIfAsync"/> moves <c>production</c>
/// only while it is the version the gates were judged against, and a registration says whether an earlier execution
/// of the same run id made it (<see cref="ModelRegistry.RegisterWithOutcomeAsync"/>).
/// </summary>
public sealed class ConditionalPromotionTests(AzuriteFixture azurite) : IClassFixture<AzuriteFixture>
{
    private static readonly DateTimeOffset Now = new(2026, 12, 1, 12, 0, 0, TimeSpan.Zero);

    private static ModelRegistration Registration(string runId, string? attempt = null) => new(
        "churn",
        runId,
        new ModelSignature(TaskKind.Binary, "churned", [new SignatureInput("age", ColumnKind.Numeric)], ["no", "yes"]),
        new Dictionary<string, double> { ["auc"] = 0.9 },
        new ModelLineage { Project = "churn", RunId = runId },
        new byte[] { 1, 2, 3 })
    {
        AttemptId = attempt,
    };

    private async Task<ModelRegistry> RegistryAsync()
    {
        var registry = new ModelRegistry(azurite.Storage.Tables, azurite.Storage.Blobs, RegistryFixture.UniqueTables());
        await registry.InitializeAsync();
        return registry;
    }

    [Fact]
    public async Task Production_moves_only_while_it_is_the_version_the_gates_were_judged_against()
    {
        var registry = await RegistryAsync();
        var v1 = (await registry.RegisterAsync(Registration("run-1"), Now)).Version;
        var v2 = (await registry.RegisterAsync(Registration("run-2"), Now)).Version;
        var v3 = (await registry.RegisterAsync(Registration("run-3"), Now)).Version;

        // Judged against "no production": the first promotion succeeds.
        var first = await registry.SetAliasIfAsync("churn", "production", v1, expected: null, "pipeline", "run-1", Now, "c1");
        Assert.True(first.Moved);
        Assert.Equal(v1, first.Current);
        Assert.NotNull(first.Change);

        // v3 was judged against v1; meanwhile v2 was promoted: v3 must not replace it.
        await registry.SetAliasIfAsync("churn", "production", v2, expected: v1, "pipeline", "run-2", Now, "c2");
        var stale = await registry.SetAliasIfAsync("churn", "production", v3, expected: v1, "alice", "stale approval", Now, "c3");
        Assert.False(stale.Moved);
        Assert.Equal(v2, stale.Current);
        Assert.Null(stale.Change);
        Assert.Equal(v2, await registry.GetAliasAsync("churn", "production"));

        // A stale "no production yet" judgement cannot overwrite a production either.
        Assert.False((await registry.SetAliasIfAsync("churn", "production", v3, expected: null, "pipeline", "run-3", Now, "c4")).Moved);
        Assert.Equal(2, (await registry.GetAuditLogAsync("churn", "production")).Count);

        // A retried promotion (production already on the version) counts as done and is not audited twice.
        var retried = await registry.SetAliasIfAsync("churn", "production", v2, expected: v1, "pipeline", "run-2", Now, "c2");
        Assert.True(retried.Moved);
        Assert.Null(retried.Change);
        Assert.Equal(2, (await registry.GetAuditLogAsync("churn", "production")).Count);
    }

    [Fact]
    public async Task Of_concurrent_promotions_judged_against_the_same_production_exactly_one_wins()
    {
        var registry = await RegistryAsync();
        var versions = new List<int>();
        for (var i = 0; i < 6; i++)
        {
            versions.Add((await registry.RegisterAsync(Registration($"run-{i}"), Now)).Version);
        }

        await registry.SetAliasAsync("churn", "production", versions[0], "pipeline", "first", Now);
        var results = await Task.WhenAll(versions.Skip(1).Select(v =>
            registry.SetAliasIfAsync("churn", "production", v, expected: versions[0], "pipeline", $"v{v}", Now, null)));

        var winner = Assert.Single(results, r => r.Moved);
        Assert.All(results.Where(r => !r.Moved), r => Assert.Equal(winner.Current, r.Current));
        Assert.Equal(winner.Current, await registry.GetAliasAsync("churn", "production"));
    }

    [Fact]
    public async Task A_registration_says_whether_an_earlier_execution_of_the_run_id_made_it()
    {
        var registry = await RegistryAsync();

        var first = await registry.RegisterWithOutcomeAsync(Registration("run-purged", "attempt-a"), Now);
        var retried = await registry.RegisterWithOutcomeAsync(Registration("run-purged", "attempt-a"), Now);
        var rerun = await registry.RegisterWithOutcomeAsync(Registration("run-purged", "attempt-b"), Now.AddDays(40));
        var unnamed = await registry.RegisterWithOutcomeAsync(Registration("run-purged"), Now.AddDays(41));

        Assert.False(first.AlreadyRegistered);
        Assert.False(retried.AlreadyRegistered);
        Assert.True(rerun.AlreadyRegistered);
        Assert.True(unnamed.AlreadyRegistered);
        Assert.Equal([first.Version.Version], new[] { retried, rerun, unnamed }.Select(o => o.Version.Version).Distinct());
        Assert.Equal(first.Version.Version, await registry.FindRegisteredVersionAsync("churn", "run-purged"));
        Assert.Null(await registry.FindRegisteredVersionAsync("churn", "run-never"));
    }
}
