using System.Security.Cryptography;
using Serverless.Domain.Datasets;
using Serverless.Domain.Models;
using Serverless.Storage;
using Serverless.Testing;
using Xunit;

namespace Serverless.Registry.Tests;

/// <summary>
/// A registered version's files never change: registering the same run id again (an identical dataset
/// re-uploaded after its durable instance was purged, or an activity retried) touches no stored byte.
/// </summary>
public sealed class ModelArtifactImmutabilityTests(AzuriteFixture azurite) : IClassFixture<AzuriteFixture>
{
    private static readonly DateTimeOffset Now = new(2026, 11, 22, 12, 0, 0, TimeSpan.Zero);

    private static ModelRegistration Registration(string runId, byte[] onnx, string card, double auc) => new(
        "churn",
        runId,
        new ModelSignature(TaskKind.Binary, "churned", [new SignatureInput("age", ColumnKind.Numeric)], ["no", "yes"]),
        new Dictionary<string, double> { ["auc"] = auc },
        new ModelLineage { Project = "churn", RunId = runId, DatasetVersion = 1, Trainer = "lightgbm" },
        onnx,
        card,
        "{\"card\":\"" + card + "\"}");

    [Fact]
    public async Task Registering_a_run_again_with_other_bytes_leaves_every_stored_byte_unchanged()
    {
        var names = RegistryFixture.UniqueTables();
        var registry = new ModelRegistry(azurite.Storage.Tables, azurite.Storage.Blobs, names);
        await registry.InitializeAsync();
        var production = await registry.RegisterAsync(Registration("train-churn-abc", [1, 2, 3], "# first", 0.9), Now);
        await registry.SetAliasAsync("churn", "production", production.Version, "pipeline", "gates passed", Now);
        var before = await HashAllAsync(azurite.Storage.Blobs, names.ArtifactsContainer);

        // The same run id again (after a purge), now with a worse model that would fail its gates.
        var again = await registry.RegisterAsync(Registration("train-churn-abc", [9, 9, 9, 9], "# second", 0.1), Now.AddDays(30));

        Assert.Equal(production.Version, again.Version);
        Assert.Equal(0.9, again.Metrics["auc"]);
        Assert.Equal(before, await HashAllAsync(azurite.Storage.Blobs, names.ArtifactsContainer));
        Assert.Equal(new byte[] { 1, 2, 3 }, await registry.LoadOnnxAsync(await registry.GetVersionAsync("churn", production.Version)));
        Assert.Equal(1, (await registry.GetModelAsync("churn"))!.LatestVersion);
    }

    [Fact]
    public async Task Concurrent_registrations_of_one_run_make_one_version_whose_files_match_its_manifest()
    {
        var names = RegistryFixture.UniqueTables();
        var registry = new ModelRegistry(azurite.Storage.Tables, azurite.Storage.Blobs, names);
        await registry.InitializeAsync();

        // Hosts that both run the register activity (a lost lease), each with bytes of its own.
        var results = await Task.WhenAll(Enumerable.Range(0, 6).Select(i =>
            registry.RegisterAsync(Registration("train-churn-race", [(byte)i, (byte)i], $"# attempt {i}", i / 10.0), Now)));

        var version = Assert.Single(results.Select(r => r.Version).Distinct());
        var stored = await registry.GetVersionAsync("churn", version);
        var winner = results.First().Metrics["auc"];
        Assert.All(results, r => Assert.Equal(winner, r.Metrics["auc"]));
        Assert.Equal(winner, stored.Metrics["auc"]);
        var attempt = (byte)Math.Round(winner * 10);
        Assert.Equal(new byte[] { attempt, attempt }, await registry.LoadOnnxAsync(stored));
        Assert.Equal($"# attempt {attempt}", await azurite.Storage.Blobs.DownloadTextAsync(names.ArtifactsContainer, stored.ModelCardPath!));
    }

    private static async Task<Dictionary<string, string>> HashAllAsync(IBlobStore blobs, string container)
    {
        var hashes = new Dictionary<string, string>(StringComparer.Ordinal);
        await foreach (var blob in blobs.ListAsync(container))
        {
            hashes[blob.Name] = Convert.ToHexString(SHA256.HashData(await blobs.DownloadBytesAsync(container, blob.Name)));
        }

        return hashes;
    }
}
