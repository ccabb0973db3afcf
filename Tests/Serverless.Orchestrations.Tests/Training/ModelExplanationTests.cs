using System.Globalization;
using System.Text;
using Microsoft.DurableTask.Client;
using Serverless.Orchestrations.Training;
using Serverless.Storage;
using Serverless.Testing;
using Xunit;
using Xunit.Abstractions;

namespace Serverless.Orchestrations.Tests.Training;

/// <summary>
/// Feature importance and slice metrics of the winner, and the <c>maxSliceGap</c> gate, over the whole pipeline:
/// the Durable Task Framework on Azurite, real ML.NET training, real ONNX Runtime.
/// </summary>
public sealed class ModelExplanationTests(AzuriteFixture azurite, ITestOutputHelper output) : IClassFixture<AzuriteFixture>
{
    private static readonly TimeSpan RunTimeout = TimeSpan.FromMinutes(4);

    [Fact]
    public async Task A_model_much_worse_on_one_region_is_registered_with_its_slices_but_not_promoted()
    {
        await using var host = await PipelineHost.StartAsync(azurite);
        await host.PutSpecAsync("clinic", """
            { "label": "diabetes", "trainers": ["linear"], "slices": ["sex", "region"],
              "gates": { "maxSliceGap": { "auc": 0.05 }, "mustBeatProductionBy": null } }
            """);
        var source = await host.UploadAsync("clinic", "v1.csv", PimaWithSlices(noisyRegion: "east"));

        var run = await host.WaitAsync(await host.StartRunAsync("clinic", source), RunTimeout);

        Assert.Equal(OrchestrationRuntimeStatus.Completed, run.RuntimeStatus);
        var report = run.ReadOutputAs<RunReport>()!;
        Assert.Equal(RunOutcomes.Registered, report.Outcome);
        Assert.Null(await host.Registry.GetAliasAsync("clinic", "production"));
        var regionGate = Assert.Single(report.Evaluation!.Gates, g => g.Gate == "maxSliceGap.auc.region");
        Assert.False(regionGate.Passed);
        Assert.True(regionGate.Actual > 0.05, $"region AUC gap {regionGate.Actual}");
        Assert.Contains("auc gap across 'region' slices", report.Promotion, StringComparison.Ordinal);
        Assert.Contains("worst 'east'", report.Promotion, StringComparison.Ordinal);

        var version = await host.Registry.GetVersionAsync("clinic", 1);
        var slices = version.Slices!;
        Assert.Equal(["sex", "region"], slices.Select(s => s.Column));
        Assert.Equal(["F", "M"], slices[0].Values.Select(v => v.Value));
        Assert.Equal(["east", "north", "south"], slices[1].Values.Select(v => v.Value));
        var east = slices[1].Values.Single(v => v.Value == "east").Metrics["auc"];
        var north = slices[1].Values.Single(v => v.Value == "north").Metrics["auc"];
        Assert.True(north - east > 0.1, $"north {north}, east {east}");
        Assert.Equal(slices[0].Values.Sum(v => v.Rows), slices[1].Values.Sum(v => v.Rows));
        Assert.InRange(slices[1].Values.Sum(v => v.Rows), 100, 200);

        output.WriteLine(report.Promotion);
        var importance = version.FeatureImportance!;
        output.WriteLine(string.Join(", ", importance.Select(f => $"{f.Feature} {f.Importance:0.####}")));
        Assert.Equal(10, importance.Count);
        Assert.Equal(importance.OrderByDescending(f => f.Importance).Select(f => f.Feature), importance.Select(f => f.Feature));
        Assert.Equal("glucose", importance[0].Feature);

        var card = await host.Blobs.DownloadTextAsync(host.Tables.ArtifactsContainer, version.ModelCardPath!);
        Assert.Contains("## Feature importance (permutation, test split)", card, StringComparison.Ordinal);
        Assert.Contains("| 1 | `glucose` |", card, StringComparison.Ordinal);
        Assert.Contains("`region`: auc gap between the best and the worst slice", card, StringComparison.Ordinal);
        Assert.Contains("FAILED: auc gap across 'region' slices", card, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_model_within_the_slice_gap_is_promoted()
    {
        await using var host = await PipelineHost.StartAsync(azurite);
        await host.PutSpecAsync("clinic", """
            { "label": "diabetes", "trainers": ["linear"], "slices": ["region"], "gates": { "maxSliceGap": { "auc": 0.9 } } }
            """);
        var source = await host.UploadAsync("clinic", "v1.csv", PimaWithSlices(noisyRegion: null));

        var report = (await host.WaitAsync(await host.StartRunAsync("clinic", source), RunTimeout)).ReadOutputAs<RunReport>()!;

        Assert.Equal(RunOutcomes.Promoted, report.Outcome);
        var gate = Assert.Single(report.Evaluation!.Gates, g => g.Gate == "maxSliceGap.auc.region");
        Assert.True(gate.Passed, gate.Description);
        Assert.Equal(3, Assert.Single((await host.Registry.GetVersionAsync("clinic", 1)).Slices!).Values.Count);
    }

    [Fact]
    public async Task A_slice_column_not_in_the_dataset_rejects_the_run_at_validation_naming_the_field_and_column()
    {
        await using var host = await PipelineHost.StartAsync(azurite);
        await host.PutSpecAsync("clinic", """{ "label": "diabetes", "trainers": ["linear"], "slices": ["regoin"] }""");
        var source = await host.UploadAsync("clinic", "v1.csv", PimaWithSlices(noisyRegion: null));

        var report = (await host.WaitAsync(await host.StartRunAsync("clinic", source), RunTimeout)).ReadOutputAs<RunReport>()!;

        Assert.Equal(RunOutcomes.Rejected, report.Outcome);
        Assert.False(report.Dataset!.IsValid);
        var error = Assert.Single(report.Dataset.Errors);
        Assert.Contains("column-missing (regoin)", error, StringComparison.Ordinal);
        Assert.Contains("'slices'", error, StringComparison.Ordinal);
        Assert.DoesNotContain(report.Steps, s => s.Name is "split" or "train");
        Assert.Null(report.ModelVersion);
        Assert.Null(await host.Registry.GetModelAsync("clinic"));
    }

    /// <summary>
    /// pima2 with a <c>sex</c> and a <c>region</c> column (assigned by row); in <paramref name="noisyRegion"/> the label is
    /// replaced by a seeded coin flip, so no model can rank that region's rows.
    /// </summary>
    private static byte[] PimaWithSlices(string? noisyRegion)
    {
        string[] regions = ["north", "south", "east"];
        var random = new Random(11);
        var lines = File.ReadAllLines(SharedData.PathOf("pima2.csv")).Where(l => l.Length > 0).ToList();
        var csv = new StringBuilder();
        csv.Append(lines[0]).Append(",\"sex\",\"region\"\n");
        for (var row = 1; row < lines.Count; row++)
        {
            var region = regions[row % 3];
            var sex = (row / 3) % 2 == 0 ? "F" : "M";
            var line = lines[row];
            if (region == noisyRegion)
            {
                line = line[..line.LastIndexOf(',')] + (random.Next(2) == 0 ? ",\"pos\"" : ",\"neg\"");
            }

            csv.Append(line).Append(CultureInfo.InvariantCulture, $",\"{sex}\",\"{region}\"\n");
        }

        return Encoding.UTF8.GetBytes(csv.ToString());
    }
}
