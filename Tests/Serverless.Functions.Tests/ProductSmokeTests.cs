using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Serverless.Storage;
using Serverless.Testing;
using Serverless.Testing.Host;
using Xunit;

namespace Serverless.Functions.Tests;

/// <summary>
/// The composed product on the real host: an upload alone becomes a production model that answers predictions, in one
/// trace from the blob trigger to the model version, with the durable engine's series on <c>/metrics</c>.
/// </summary>
public sealed class ProductSmokeTests(ProductSmokeTests.ProductHost host) : IClassFixture<ProductSmokeTests.ProductHost>
{
    public sealed class ProductHost : FunctionsHostFixture
    {
        protected override FunctionsTestHostOptions Configure(FunctionsTestHostOptions options) => options with
        {
            IncludeProduct = true,
            Settings = new Dictionary<string, string?> { ["OpenTelemetry:Exporter"] = "prometheus" },
        };
    }

    [Fact]
    public async Task An_upload_becomes_a_production_model_that_predicts()
    {
        using var spans = new SpanCapture();
        var blobs = host.Services.GetRequiredService<IBlobStore>();
        var datasets = host.Host.Options.DatasetsContainer;
        await blobs.CreateContainerIfNotExistsAsync(datasets);
        await blobs.UploadTextAsync(datasets, "wine/project.json", """{ "label": "cultivar", "trainers": ["lightgbm"] }""");
        var admin = host.CreateClient();
        await WaitUntilAsync(async () => (await admin.GetAsync("api/projects/wine")).StatusCode == HttpStatusCode.OK, "the spec to apply");
        await blobs.UploadBytesAsync(datasets, "wine/2026/wine.csv", await File.ReadAllBytesAsync(SharedData.PathOf("wine.csv")));

        string? runId = null;
        await WaitUntilAsync(async () =>
        {
            var runs = await admin.GetFromJsonAsync<JsonElement>("api/runs?project=wine");
            var run = runs.GetProperty("runs").EnumerateArray().FirstOrDefault();
            if (run.ValueKind == JsonValueKind.Undefined)
            {
                return false;
            }

            runId = run.GetProperty("id").GetString();
            var status = run.GetProperty("status").GetString();
            Assert.NotEqual("Failed", status);
            return status == "Promoted";
        }, "the run to promote a model", TimeSpan.FromMinutes(4));

        var detail = await admin.GetFromJsonAsync<JsonElement>($"api/runs/{runId}");
        Assert.Equal(10, detail.GetProperty("steps").GetArrayLength());
        Assert.True(detail.GetProperty("validation").GetProperty("isValid").GetBoolean());

        var model = await admin.GetFromJsonAsync<JsonElement>("api/models/wine");
        Assert.Equal(1, model.GetProperty("aliases").GetProperty("production").GetInt32());

        var row = File.ReadLines(SharedData.PathOf("wine.csv")).Skip(1).First().Split(',');
        var header = File.ReadLines(SharedData.PathOf("wine.csv")).First().Split(',');
        var instance = header.Take(13).Select((name, i) => (name, value: double.Parse(row[i], System.Globalization.CultureInfo.InvariantCulture))).ToDictionary(p => p.name, p => (object)p.value);
        var predict = await admin.PostAsJsonAsync("api/models/wine/predict", new { instances = new[] { instance } });
        Assert.Equal(HttpStatusCode.OK, predict.StatusCode);
        var prediction = await predict.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(1, prediction.GetProperty("version").GetInt32());
        Assert.Equal("class_0", prediction.GetProperty("predictions")[0].GetProperty("label").GetString());

        // The run reports Promoted before its last step (releasing the project's run slot) completes the instance.
        var status = await admin.GetAsync($"runtime/webhooks/durabletask/instances/{runId}");
        for (var i = 0; i < 100 && status.StatusCode == HttpStatusCode.Accepted; i++)
        {
            await Task.Delay(200);
            status = await admin.GetAsync($"runtime/webhooks/durabletask/instances/{runId}");
        }

        Assert.True(status.StatusCode == HttpStatusCode.OK, $"{status.StatusCode}: {await (await admin.GetAsync($"runtime/webhooks/durabletask/instances/{runId}?showHistory=true&showHistoryOutput=true")).Content.ReadAsStringAsync()}");
        Assert.Equal(HttpStatusCode.Unauthorized, (await host.Client.GetAsync($"runtime/webhooks/durabletask/instances/{runId}")).StatusCode);

        await AssertOneTraceFromUploadToModelVersionAsync(spans, datasets, runId!, detail, admin);
        await AssertDurableSeriesOnMetricsAsync();
    }

    /// <summary>The blob trigger's span, the training orchestration and its activities share one trace, recorded in the version's lineage.</summary>
    private static async Task AssertOneTraceFromUploadToModelVersionAsync(SpanCapture spans, string datasets, string runId, JsonElement run, HttpClient admin)
    {
        var timeout = TimeSpan.FromSeconds(30);
        var blob = await spans.WaitForAsync(
            s => s.OperationName == "blob:OnDatasetUploaded" && (string?)s.GetTagItem("blob.container") == datasets && (string?)s.GetTagItem("blob.name") == "wine/2026/wine.csv",
            "the dataset upload's blob trigger", timeout);
        Assert.Equal(ActivityKind.Consumer, blob.Kind);
        Assert.Equal(default, blob.ParentSpanId);
        var orchestration = await spans.WaitForAsync(
            s => s.OperationName == "orchestration:TrainingPipeline" && (string?)s.GetTagItem("durabletask.task.instance_id") == runId,
            "the training orchestration", timeout);
        Assert.Equal(blob.TraceId, orchestration.TraceId);

        var trace = spans.InTrace(blob.TraceId);
        var invocation = Assert.Single(trace, s => s.ParentSpanId == blob.SpanId); // the function's own span
        Assert.True(Descends(trace, orchestration, invocation), "the orchestration's span does not descend from the blob function's invocation");

        // DTFx traces each activity twice: scheduled by the orchestration (client) and executed by a worker (server).
        var register = Assert.Single(trace, s => s.OperationName == "activity:RegisterModel" && s.Kind == ActivityKind.Server);
        Assert.True(Descends(trace, register, orchestration), "the activity's span does not descend from the orchestration's");
        Assert.Contains(trace, s => s.OperationName == "activity:TrainCandidate" && s.Kind == ActivityKind.Server);

        var version = await admin.GetFromJsonAsync<JsonElement>("api/models/wine/versions/1");
        var lineage = version.GetProperty("lineage");
        Assert.Equal(blob.TraceId.ToHexString(), lineage.GetProperty("traceId").GetString());
        Assert.Equal(run.GetProperty("correlationId").GetString(), lineage.GetProperty("correlationId").GetString());
    }

    private static bool Descends(IReadOnlyList<Activity> trace, Activity span, Activity ancestor)
    {
        for (var current = span; current is not null; current = trace.FirstOrDefault(s => s.SpanId == current.ParentSpanId))
        {
            if (current.ParentSpanId == ancestor.SpanId)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Counters and histograms of the run, and the hub's gauges (read in the background, so they show from a later scrape).</summary>
    private async Task AssertDurableSeriesOnMetricsAsync()
    {
        string[] series =
        [
            "serverless_durable_activity_duration", "serverless_durable_orchestration_episode_duration",
            "serverless_durable_orchestrations_started", "serverless_durable_orchestrations_completed",
            "serverless_durable_queue_depth", "serverless_durable_instances",
        ];
        var text = string.Empty;
        try
        {
            await WaitUntilAsync(async () =>
            {
                text = await host.Client.GetStringAsync("metrics");
                return series.All(s => text.Contains(s, StringComparison.Ordinal));
            }, "the durable series on /metrics", TimeSpan.FromSeconds(60));
        }
        catch (TimeoutException e)
        {
            throw new TimeoutException($"{e.Message} Missing: {string.Join(", ", series.Where(s => !text.Contains(s, StringComparison.Ordinal)))}", e);
        }
        Assert.Contains("activity=\"RegisterModel\",outcome=\"completed\"", text, StringComparison.Ordinal);
        Assert.Contains($"queue=\"{host.Host.Options.HubName.ToLowerInvariant()}-workitems\"", text, StringComparison.Ordinal);
    }

    private static async Task WaitUntilAsync(Func<Task<bool>> condition, string what, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(30));
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Waited too long for {what}.");
            }

            await Task.Delay(250);
        }
    }
}
