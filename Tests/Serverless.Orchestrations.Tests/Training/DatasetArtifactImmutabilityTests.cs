using System.Security.Cryptography;
using Microsoft.DurableTask.Client;
using Serverless.Orchestrations.Training;
using Serverless.Storage;
using Serverless.Testing;
using Xunit;

namespace Serverless.Orchestrations.Tests.Training;

/// <summary>Issue 14 item 2: what was derived from a dataset version under one spec never changes when the spec does.</summary>
public sealed class DatasetArtifactImmutabilityTests(AzuriteFixture azurite) : IClassFixture<AzuriteFixture>
{
    private static readonly TimeSpan RunTimeout = TimeSpan.FromMinutes(4);

    [Fact]
    public async Task Training_a_version_again_after_a_spec_change_leaves_the_first_runs_frame_profile_and_report_as_they_were()
    {
        await using var host = await PipelineHost.StartAsync(azurite);
        await host.PutSpecAsync("vino", """{ "label": "cultivar", "trainers": ["linear"] }""");
        var source = await host.UploadAsync("vino", "wine.csv", await File.ReadAllBytesAsync(SharedData.PathOf("wine.csv")));
        var first = await RunAsync(host, source);
        var firstPaths = PathsOf(first);
        var before = await HashesAsync(host, firstPaths);

        await host.PutSpecAsync("vino", """{ "label": "cultivar", "ignore": ["proline", "alcohol"], "trainers": ["linear"] }""");
        var second = await RunAsync(host, source);

        Assert.Equal(first.ContentHash, second.ContentHash);
        Assert.Equal(first.Version, second.Version);
        Assert.DoesNotContain("proline", second.Features);
        Assert.Contains("proline", first.Features);
        Assert.Equal(before, await HashesAsync(host, firstPaths));
        var secondPaths = PathsOf(second);
        Assert.All(secondPaths, path => Assert.DoesNotContain(path, firstPaths));
        Assert.NotEqual((await HashesAsync(host, [second.FramePath]))[0], before[2]);

        var version = Assert.Single(await host.Datasets.ListAsync("vino"));
        Assert.Equal(firstPaths, new[] { version.Artifacts["validation"], version.Artifacts["profile"], version.Artifacts["frame"] });
    }

    private static async Task<DatasetSummary> RunAsync(PipelineHost host, DatasetSource source)
    {
        var run = await host.WaitAsync(await host.StartRunAsync("vino", source), RunTimeout);
        Assert.Equal(OrchestrationRuntimeStatus.Completed, run.RuntimeStatus);
        var report = run.ReadOutputAs<RunReport>()!;
        Assert.True(report.Dataset!.IsValid, string.Join("; ", report.Dataset.Errors));
        return report.Dataset;
    }

    private static string[] PathsOf(DatasetSummary dataset) => [dataset.ReportPath, dataset.ProfilePath, dataset.FramePath];

    private static async Task<string[]> HashesAsync(PipelineHost host, IEnumerable<string> paths)
    {
        var hashes = new List<string>();
        foreach (var path in paths)
        {
            hashes.Add(Convert.ToHexStringLower(SHA256.HashData(await host.Blobs.DownloadBytesAsync(host.Tables.ArtifactsContainer, path))));
        }

        return [.. hashes];
    }
}
