using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Serverless.Serving.PredictionLogging;
using Serverless.Storage;

namespace Serverless.Functions.Monitoring.Tests;

/// <summary>
/// Drift with <c>retrainOnDrift</c> retrains on the latest dataset version plus the labelled feedback, registered as a
/// new dataset version whose lineage says so, and the run says why; without feedback, on the latest version as is.
/// </summary>
public sealed class RetrainTests(MonitoringHost host) : IClassFixture<MonitoringHost>
{
    private const string Spec = """{ "label": "cultivar", "trainers": ["lightgbm"], "monitoring": { "retrainOnDrift": true } }""";
    private static readonly string[] Shifted = ["alcohol", "malic_acid", "ash", "magnesium", "flavanoids", "hue", "color_intensity", "proline"];
    private static readonly string[] EndStates = ["Promoted", "Registered", "Rejected", "Failed", "AwaitingApproval"];

    [Fact]
    public async Task Drift_retrains_on_a_new_dataset_version_of_the_latest_rows_plus_labelled_feedback()
    {
        const string project = "winefb";
        await host.TrainWineAsync(project, Spec);
        var admin = host.CreateClient();
        await host.LogPredictionsAsync(project, Shifted);
        // 60 labelled predictions with their logged inputs, and three that cannot become training rows.
        var rows = Enumerable.Range(0, 60).Select(n => (Id: $"f{n:D4}", Inputs: Inputs(n), Actual: MonitoringHost.Labels[n])).ToList();
        rows.Add(("bad-missing", Inputs(1, drop: "hue"), "class_1"));
        rows.Add(("bad-class", Inputs(2), "class_9"));
        rows.Add(("bad-number", Inputs(3, replace: ("proline", "lots")), "class_1"));
        await LogFeedbackAsync(project, rows);

        var retrain = (await CheckAsync(admin, project)).GetProperty("drift").GetProperty("retrain");
        Assert.True(retrain.GetProperty("started").GetBoolean());
        Assert.Equal(2, retrain.GetProperty("datasetVersion").GetInt32());
        var runId = retrain.GetProperty("runId").GetString()!;
        Assert.Contains("-v2-drift-", runId, StringComparison.Ordinal);
        var reason = retrain.GetProperty("reason").GetString()!;
        Assert.StartsWith("drift report ", reason, StringComparison.Ordinal);
        Assert.Contains("Dataset drift: 8 of 13 features drifted", reason, StringComparison.Ordinal);
        Assert.Contains("share 0.62 ≥ driftShare 0.5", reason, StringComparison.Ordinal);
        Assert.Contains("trained on dataset version 2: version 1 (178 rows) plus 60 labelled feedback rows", reason, StringComparison.Ordinal);
        Assert.Contains("3 skipped", reason, StringComparison.Ordinal);

        // The new dataset version and its lineage.
        var versions = (await admin.GetFromJsonAsync<JsonElement>($"api/projects/{project}/datasets")).GetProperty("versions").EnumerateArray().ToList();
        Assert.Equal(2, versions.Count);
        Assert.False(versions[0].TryGetProperty("lineage", out _));
        var merged = versions[1];
        Assert.Equal(238, merged.GetProperty("rows").GetInt64());
        Assert.True(merged.GetProperty("isValid").GetBoolean());
        Assert.Equal("feedback", merged.GetProperty("origin").GetString());
        var lineage = merged.GetProperty("lineage");
        Assert.Equal("feedback", lineage.GetProperty("origin").GetString());
        Assert.Equal(1, lineage.GetProperty("baseVersion").GetInt32());
        Assert.Equal(project, lineage.GetProperty("model").GetString());
        Assert.Equal(1, lineage.GetProperty("modelVersion").GetInt32());
        Assert.Equal(60, lineage.GetProperty("feedbackRows").GetInt32());
        Assert.Equal(3, lineage.GetProperty("skippedRows").GetInt32());
        var skipped = lineage.GetProperty("skippedReasons");
        Assert.Equal(1, skipped.GetProperty("input 'hue' missing from the logged inputs").GetInt32());
        Assert.Equal(1, skipped.GetProperty("actual value of 'cultivar' is not a known class").GetInt32());
        Assert.Equal(1, skipped.GetProperty("input 'proline' is not a number").GetInt32());
        Assert.True(lineage.GetProperty("feedbackFrom").GetDateTimeOffset() <= lineage.GetProperty("feedbackTo").GetDateTimeOffset());
        Assert.True(merged.GetProperty("artifacts").TryGetProperty("profile", out _));

        // The run trains on it and says why.
        var run = await WaitForEndAsync(admin, runId);
        Assert.Equal("drift", run.GetProperty("trigger").GetString());
        Assert.Equal("monitoring", run.GetProperty("requestedBy").GetString());
        Assert.Equal(reason, run.GetProperty("reason").GetString());
        Assert.NotEqual("Failed", run.GetProperty("status").GetString());
        Assert.Equal(2, run.GetProperty("dataset").GetProperty("version").GetInt32());
        Assert.Equal(238, run.GetProperty("dataset").GetProperty("rows").GetInt64());
        Assert.Equal(merged.GetProperty("contentHash").GetString(), run.GetProperty("dataset").GetProperty("contentHash").GetString());
        var listed = (await admin.GetFromJsonAsync<JsonElement>($"api/runs?project={project}")).GetProperty("runs").EnumerateArray().Single(r => r.GetProperty("id").GetString() == runId);
        Assert.Equal(reason, listed.GetProperty("reason").GetString());
        Assert.Equal("drift", listed.GetProperty("trigger").GetString());
        Assert.Equal(2, (await admin.GetFromJsonAsync<JsonElement>($"api/projects/{project}/datasets")).GetProperty("versions").GetArrayLength());
    }

    [Fact]
    public async Task Without_labelled_feedback_drift_retrains_on_the_latest_version_and_says_so()
    {
        const string project = "winenf";
        await host.TrainWineAsync(project, Spec);
        var admin = host.CreateClient();
        await host.LogPredictionsAsync(project, Shifted);

        var retrain = (await CheckAsync(admin, project)).GetProperty("drift").GetProperty("retrain");
        Assert.True(retrain.GetProperty("started").GetBoolean());
        var runId = retrain.GetProperty("runId").GetString()!;
        Assert.Contains("-v1-drift-", runId, StringComparison.Ordinal);
        var reason = retrain.GetProperty("reason").GetString()!;
        Assert.Contains("no labelled feedback on version 1 of model 'winenf'", reason, StringComparison.Ordinal);
        Assert.Contains("trained on the latest valid dataset version 1", reason, StringComparison.Ordinal);

        await MonitoringHost.WaitUntilAsync(async () => (await admin.GetFromJsonAsync<JsonElement>($"api/runs/{runId}")).TryGetProperty("reason", out _), "the drift run's report");
        var run = await admin.GetFromJsonAsync<JsonElement>($"api/runs/{runId}");
        Assert.Equal(reason, run.GetProperty("reason").GetString());
        Assert.Equal("drift", run.GetProperty("trigger").GetString());
        Assert.Single((await admin.GetFromJsonAsync<JsonElement>($"api/projects/{project}/datasets")).GetProperty("versions").EnumerateArray());

        // The upload run that made version 1 says so too.
        var upload = (await admin.GetFromJsonAsync<JsonElement>($"api/runs?project={project}")).GetProperty("runs").EnumerateArray().Single(r => r.GetProperty("trigger").GetString() == "upload");
        Assert.Equal($"upload of {host.Host.Options.DatasetsContainer}/{project}/2026/wine.csv", upload.GetProperty("reason").GetString());
    }

    [Fact]
    public async Task Degradation_retrains_with_trigger_degradation_on_the_feedback_version()
    {
        const string project = "winedg";
        await host.TrainWineAsync(project, Spec);
        var admin = host.CreateClient();
        // Half of 60 labelled predictions wrong, and no logged inputs in the drift window: degradation, no drift.
        await LogFeedbackAsync(project, Enumerable.Range(0, 60).Select(n => ($"f{n:D4}", Inputs(n), MonitoringHost.Labels[n])), wrong: 30);

        var checkedNow = await CheckAsync(admin, project);
        Assert.False(checkedNow.GetProperty("drift").TryGetProperty("retrain", out var driftRetrain) && driftRetrain.ValueKind == JsonValueKind.Object);
        var retrain = checkedNow.GetProperty("performance").GetProperty("retrain");
        Assert.True(retrain.GetProperty("started").GetBoolean());
        var runId = retrain.GetProperty("runId").GetString()!;
        Assert.Contains("-v2-degradation-", runId, StringComparison.Ordinal);
        var reason = retrain.GetProperty("reason").GetString()!;
        Assert.StartsWith("performance degraded: Live Accuracy 0.5 over 60 labelled predictions", reason, StringComparison.Ordinal);
        Assert.Contains("plus 60 labelled feedback rows", reason, StringComparison.Ordinal);
        Assert.DoesNotContain("skipped", reason, StringComparison.Ordinal);

        await MonitoringHost.WaitUntilAsync(async () => (await admin.GetFromJsonAsync<JsonElement>($"api/runs/{runId}")).TryGetProperty("reason", out _), "the degradation run's report");
        var run = await admin.GetFromJsonAsync<JsonElement>($"api/runs/{runId}");
        Assert.Equal("degradation", run.GetProperty("trigger").GetString());
        Assert.Equal(reason, run.GetProperty("reason").GetString());
        var lineage = (await admin.GetFromJsonAsync<JsonElement>($"api/projects/{project}/datasets")).GetProperty("versions")[1].GetProperty("lineage");
        Assert.Equal(60, lineage.GetProperty("feedbackRows").GetInt32());
        Assert.Equal(0, lineage.GetProperty("skippedRows").GetInt32());
    }

    private static Dictionary<string, object> Inputs(int row, string? drop = null, (string Name, string Value)? replace = null)
    {
        var inputs = Enumerable.Range(0, 13).Where(i => MonitoringHost.Header[i] != drop)
            .ToDictionary(i => MonitoringHost.Header[i], i => (object)MonitoringHost.Rows[row][i]);
        if (replace is { } r)
        {
            inputs[r.Name] = r.Value;
        }

        return inputs;
    }

    /// <summary>Stores feedback as the feedback service does: the logged prediction of version 1 with its inputs, and the actual label.</summary>
    /// <param name="wrong">The first this-many rows were predicted wrongly.</param>
    private async Task LogFeedbackAsync(string model, IEnumerable<(string Id, Dictionary<string, object> Inputs, string Actual)> rows, int wrong = 0)
    {
        var tables = host.Services.GetRequiredService<ITableStore>();
        var table = host.Host.Options.ProductPrefix + "predictionfeedback";
        await tables.CreateTableIfNotExistsAsync(table);
        var time = DateTimeOffset.UtcNow.AddMinutes(-1);
        var entities = rows.Select((row, n) => new TableEntity(PredictionLogStore.Partition(model, time), row.Id, new Dictionary<string, object?>
        {
            ["Model"] = model,
            ["Version"] = 1,
            ["Predicted"] = n < wrong ? (row.Actual == "class_0" ? "class_1" : "class_0") : row.Actual,
            ["Inputs"] = JsonSerializer.Serialize(row.Inputs),
            ["PredictedAt"] = time.AddSeconds(-n),
            ["Actual"] = row.Actual,
            ["ReceivedAt"] = DateTimeOffset.UtcNow,
        }));
        foreach (var chunk in entities.Chunk(100))
        {
            await tables.SubmitTransactionAsync(table, chunk.Select(TableOperation.Upsert).ToList());
        }
    }

    private static async Task<JsonElement> CheckAsync(HttpClient admin, string model)
    {
        var response = await admin.PostAsync($"api/models/{model}/monitoring/check", null);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    private static async Task<JsonElement> WaitForEndAsync(HttpClient admin, string runId)
    {
        JsonElement run = default;
        await MonitoringHost.WaitUntilAsync(async () =>
        {
            run = await admin.GetFromJsonAsync<JsonElement>($"api/runs/{runId}");
            return EndStates.Contains(run.GetProperty("status").GetString());
        }, $"run {runId} to end", TimeSpan.FromMinutes(3));
        return run;
    }
}
