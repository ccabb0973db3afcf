using System.Text.Json;
using Serverless.Testing;
using Xunit;

namespace Serverless.Functions.Api.Tests;

/// <summary>
/// Every shared dataset, from an upload alone with its label named in project.json, becomes a promoted
/// production model of sensible quality; the run report, the model version's lineage and the dataset
/// versions are readable over HTTP. The four projects train concurrently on one host.
/// </summary>
public sealed class SharedDatasetTrainingTests(ProductHost host) : IClassFixture<ProductHost>
{
    private readonly ProductUser _user = new(host);

    public static TheoryData<string, string, string, string, double> Datasets => new()
    {
        // project, file, label, metric, minimum quality on the test split
        { "wine", "wine.csv", "cultivar", "macroAccuracy", 0.9 },
        { "pima", "pima2.csv", "diabetes", "auc", 0.75 },
        { "servo", "servo.csv", "Class", "r2", 0.5 },
        { "diabetes", "diabetes.csv", "progression", "r2", 0.25 },
    };

    [Fact]
    public async Task Each_shared_dataset_is_trained_registered_and_promoted_from_an_upload_alone()
    {
        await Task.WhenAll(Datasets.Select(row => TrainAndCheckAsync((string)row[0], (string)row[1], (string)row[2], (string)row[3], (double)row[4])));
    }

    private async Task TrainAndCheckAsync(string project, string file, string label, string metric, double minimum)
    {
        await _user.UploadSpecAsync(project, $$"""{ "label": "{{label}}", "trainers": ["lightgbm"] }""");
        var content = await File.ReadAllBytesAsync(SharedData.PathOf(file));
        await _user.UploadAsync(project, $"2026/11/{file}", content);

        var run = Assert.Single(await _user.WaitForFinishedRunsAsync(project, 1));
        Assert.True(run.GetProperty("status").GetString() == "Promoted", $"{project}: {run}");
        var steps = run.GetProperty("steps").EnumerateArray().Select(s => s.GetProperty("name").GetString()).ToList();
        Assert.Equal(["queue", "ingest", "validate", "split", "plan", "train", "select", "evaluate", "register", "promote"], steps);
        Assert.True(run.GetProperty("validation").GetProperty("isValid").GetBoolean());
        Assert.Equal("upload", run.GetProperty("trigger").GetString());
        var quality = run.GetProperty("evaluation").GetProperty("challenger").GetProperty(metric).GetDouble();
        Assert.True(quality >= minimum, $"{project}: test {metric} {quality} < {minimum}");
        Assert.All(run.GetProperty("candidates").EnumerateArray(), c => Assert.True(c.GetProperty("parityPassed").GetBoolean(), c.ToString()));

        Assert.Equal(1, await _user.ProductionVersionAsync(project));
        var version = await _user.Admin.GetFromJsonAsync($"api/models/{project}/versions/1");
        var lineage = version.GetProperty("lineage");
        Assert.Equal(run.GetProperty("id").GetString(), lineage.GetProperty("runId").GetString());
        Assert.Equal(1, lineage.GetProperty("datasetVersion").GetInt32());
        Assert.Equal(run.GetProperty("dataset").GetProperty("contentHash").GetString(), lineage.GetProperty("datasetHash").GetString());
        Assert.Contains($"# Model card: {project}", version.GetProperty("modelCard").GetString(), StringComparison.Ordinal);
        Assert.Equal(quality, version.GetProperty("metrics").GetProperty(metric).GetDouble(), 6);
        var importance = version.GetProperty("featureImportance").EnumerateArray()
            .Select(f => (Feature: f.GetProperty("feature").GetString()!, Importance: f.GetProperty("importance").GetDouble())).ToList();
        Assert.Equal(version.GetProperty("signature").GetProperty("inputs").GetArrayLength(), importance.Count);
        Assert.Equal(importance.OrderByDescending(f => f.Importance).Select(f => f.Feature), importance.Select(f => f.Feature));
        Assert.True(importance[0].Importance > 0, $"{project}: top feature {importance[0]}");
        Assert.Contains("## Feature importance (permutation, test split)", version.GetProperty("modelCard").GetString(), StringComparison.Ordinal);

        var dataset = Assert.Single(await _user.DatasetVersionsAsync(project));
        Assert.True(dataset.GetProperty("isValid").GetBoolean());
        Assert.Equal(File.ReadLines(SharedData.PathOf(file)).Count() - 1, dataset.GetProperty("rows").GetInt32());
        Assert.Equal(lineage.GetProperty("datasetHash").GetString(), dataset.GetProperty("contentHash").GetString());
    }
}
