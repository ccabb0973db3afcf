using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Serverless.Monitoring.Webhooks;

namespace Serverless.Functions.Monitoring.Tests;

/// <summary>The monitoring loop on the composed product: drift reports, live performance, alerts, retraining, webhooks, metrics.</summary>
public sealed partial class MonitoringLoopTests(MonitoringHost host) : IClassFixture<MonitoringHost>
{
    private static readonly string[] TwoShifted = ["alcohol", "proline"];
    private static readonly string[] EightShifted = ["alcohol", "malic_acid", "ash", "magnesium", "flavanoids", "hue", "color_intensity", "proline"];

    [Fact]
    public async Task Drift_flags_exactly_the_shifted_features_and_degradation_raises_an_alert()
    {
        await host.TrainWineAsync("winea", """{ "label": "cultivar", "trainers": ["lightgbm"] }""");
        var admin = host.CreateClient();

        // No logged predictions yet: insufficient data, never a guess.
        var empty = await CheckAsync(admin, "winea");
        var emptyReport = empty.GetProperty("drift").GetProperty("report");
        Assert.Equal(0, emptyReport.GetProperty("evaluatedFeatures").GetInt32());
        Assert.All(emptyReport.GetProperty("features").EnumerateArray(), f => Assert.Equal("InsufficientData", f.GetProperty("verdict").GetString()));
        Assert.False(emptyReport.GetProperty("datasetDrift").GetBoolean());
        var monitoring = await admin.GetFromJsonAsync<JsonElement>("api/models/winea/monitoring");
        Assert.Equal("insufficientData", monitoring.GetProperty("drift").GetProperty("status").GetString());

        // Two of thirteen features shifted: exactly those drift, below the dataset share.
        await host.LogPredictionsAsync("winea", TwoShifted);
        var two = (await CheckAsync(admin, "winea")).GetProperty("drift").GetProperty("report");
        Assert.Equal(TwoShifted.Order(), Drifted(two));
        Assert.Equal(13, two.GetProperty("evaluatedFeatures").GetInt32());
        Assert.False(two.GetProperty("datasetDrift").GetBoolean());
        Assert.Equal("NoDrift", two.GetProperty("prediction").GetProperty("verdict").GetString());
        Assert.All(two.GetProperty("features").EnumerateArray(), f => Assert.Equal("KolmogorovSmirnov", f.GetProperty("test").GetString()));

        // Eight of thirteen: exactly those, and the dataset drifts (8/13 >= 0.5).
        await host.LogPredictionsAsync("winea", EightShifted);
        await CheckAsync(admin, "winea");
        monitoring = await admin.GetFromJsonAsync<JsonElement>("api/models/winea/monitoring");
        var served = monitoring.GetProperty("drift");
        Assert.Equal("drift", served.GetProperty("status").GetString());
        Assert.Equal(EightShifted.Order(), Drifted(served.GetProperty("report")));
        Assert.True(served.GetProperty("report").GetProperty("datasetDrift").GetBoolean());
        Assert.Equal(3, monitoring.GetProperty("history").GetArrayLength());
        var driftAlert = Assert.Single(monitoring.GetProperty("alerts").EnumerateArray());
        Assert.Equal("drift_detected", driftAlert.GetProperty("kind").GetString());
        var importance = (await admin.GetFromJsonAsync<JsonElement>("api/models/winea/versions/1")).GetProperty("featureImportance").EnumerateArray()
            .Select(f => f.GetProperty("feature").GetString()!).ToList();
        Assert.Equal(13, importance.Count);
        Assert.All(EightShifted, f => Assert.Contains($"{f} (importance rank {importance.IndexOf(f) + 1} of 13)", driftAlert.GetProperty("message").GetString(), StringComparison.Ordinal));

        // Feedback: half of 60 labelled predictions wrong, against an evaluation accuracy near 1.
        await host.LogFeedbackAsync("winea", count: 60, wrong: 30);
        var checkedPerformance = (await CheckAsync(admin, "winea")).GetProperty("performance");
        Assert.Equal("Degraded", checkedPerformance.GetProperty("report").GetProperty("verdict").GetString());
        Assert.Equal(0.5, checkedPerformance.GetProperty("report").GetProperty("live").GetDouble(), 6);
        var alerts = await admin.GetFromJsonAsync<JsonElement>("api/models/winea/alerts");
        Assert.Contains(alerts.GetProperty("alerts").EnumerateArray(), a => a.GetProperty("kind").GetString() == "performance_degraded");

        // No retrainOnDrift: drift and degradation started no run.
        var runs = await admin.GetFromJsonAsync<JsonElement>("api/runs?project=winea");
        Assert.Single(runs.GetProperty("runs").EnumerateArray());

        // The product's series on /metrics, as Prometheus text.
        var metrics = await host.Client.GetStringAsync("metrics");
        var samples = metrics.Split('\n').Where(l => l.Length > 0 && !l.StartsWith('#')).ToList();
        Assert.All(samples, line => Assert.Matches(SampleLine(), line));
        Assert.Contains(samples, l => l.StartsWith("mlops_drift_checks_total{", StringComparison.Ordinal) && l.Contains("model=\"winea\"", StringComparison.Ordinal));
        Assert.Contains(samples, l => l.StartsWith("mlops_drift_statistic_bucket{", StringComparison.Ordinal) && l.Contains("feature=\"proline\"", StringComparison.Ordinal));
        Assert.Contains(samples, l => l.StartsWith("mlops_alerts_total{", StringComparison.Ordinal) && l.Contains("kind=\"performance_degraded\"", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Drift_with_retrainOnDrift_starts_one_run_and_webhooks_arrive_signed_after_a_retry()
    {
        await using var receiver = await SignedWebhooks.StartRefusingFirstAttemptsAsync("loop");
        var admin = host.CreateClient();
        var added = await admin.PostAsJsonAsync("api/webhooks", new { url = receiver.Url("loop"), secret = SignedWebhooks.Secret, eventTypes = new[] { WebhookEventTypes.RunCompleted, WebhookEventTypes.DriftDetected, WebhookEventTypes.AliasChanged } });
        Assert.Equal(HttpStatusCode.Created, added.StatusCode);
        Assert.DoesNotContain(SignedWebhooks.Secret, await added.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.DoesNotContain(SignedWebhooks.Secret, await admin.GetStringAsync("api/webhooks"), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, (await admin.PostAsJsonAsync("api/webhooks", new { url = receiver.Url("loop"), secret = "s", eventTypes = new[] { "nope" } })).StatusCode);

        await host.TrainWineAsync("wineb", """{ "label": "cultivar", "trainers": ["lightgbm"], "monitoring": { "retrainOnDrift": true } }""");

        // A real pipeline run is announced (signed, first attempt refused, retried).
        await MonitoringHost.WaitUntilAsync(() => Task.FromResult(receiver.Delivered("loop").Any(r => r.Type == WebhookEventTypes.RunCompleted && r.Body.Contains("wineb", StringComparison.Ordinal))), "run.completed", TimeSpan.FromSeconds(40));
        // Its promotion is an alias.changed from the registry's outbox, carrying the run's correlation id.
        var completed = JsonDocument.Parse(receiver.Delivered("loop").First(r => r.Type == WebhookEventTypes.RunCompleted && r.Body.Contains("wineb", StringComparison.Ordinal)).Body).RootElement.GetProperty("data");
        await MonitoringHost.WaitUntilAsync(() => Task.FromResult(receiver.Delivered("loop").Any(r => r.Type == WebhookEventTypes.AliasChanged && r.Body.Contains("wineb", StringComparison.Ordinal))), "alias.changed", TimeSpan.FromSeconds(20));
        var promoted = JsonDocument.Parse(receiver.Delivered("loop").First(r => r.Type == WebhookEventTypes.AliasChanged && r.Body.Contains("wineb", StringComparison.Ordinal)).Body).RootElement.GetProperty("data");
        Assert.Equal("production", promoted.GetProperty("alias").GetString());
        Assert.Equal("pipeline", promoted.GetProperty("actor").GetString());
        Assert.False(string.IsNullOrEmpty(promoted.GetProperty("correlationId").GetString()));
        Assert.Equal(completed.GetProperty("correlationId").GetString(), promoted.GetProperty("correlationId").GetString());

        await host.LogPredictionsAsync("wineb", EightShifted);
        var first = (await CheckAsync(admin, "wineb")).GetProperty("drift");
        Assert.True(first.GetProperty("report").GetProperty("datasetDrift").GetBoolean());
        Assert.True(first.GetProperty("retrain").GetProperty("started").GetBoolean());
        var runId = first.GetProperty("retrain").GetProperty("runId").GetString()!;

        var second = (await CheckAsync(admin, "wineb")).GetProperty("drift");
        Assert.True(second.GetProperty("report").GetProperty("datasetDrift").GetBoolean());
        Assert.False(second.GetProperty("retrain").GetProperty("started").GetBoolean());
        Assert.Contains("cooling down", second.GetProperty("retrain").GetProperty("reason").GetString(), StringComparison.Ordinal);

        var runs = (await admin.GetFromJsonAsync<JsonElement>("api/runs?project=wineb")).GetProperty("runs").EnumerateArray().Select(r => r.GetProperty("id").GetString()!).ToList();
        Assert.Equal(2, runs.Count);
        Assert.Single(runs, id => id.Contains("-drift-", StringComparison.Ordinal));
        await MonitoringHost.WaitUntilAsync(async () => (await admin.GetFromJsonAsync<JsonElement>($"api/runs/{runId}")).GetProperty("trigger").ValueKind == JsonValueKind.String, "the drift run's report");
        Assert.Equal("drift", (await admin.GetFromJsonAsync<JsonElement>($"api/runs/{runId}")).GetProperty("trigger").GetString());

        // Both checks found drift: two drift.detected events, each delivered on its second attempt.
        await MonitoringHost.WaitUntilAsync(() => Task.FromResult(receiver.Delivered("loop").Count(r => r.Type == WebhookEventTypes.DriftDetected) == 2), "two drift.detected");
        var drift = receiver.Delivered("loop").Where(r => r.Type == WebhookEventTypes.DriftDetected).ToList();
        Assert.All(drift, d => Assert.Equal(2, receiver.Attempts("loop", d.Id)));
        Assert.All(drift, d => Assert.Contains("\"model\":\"wineb\"", d.Body, StringComparison.Ordinal));
        Assert.Equal(0, receiver.BadSignatures("loop"));

        // The first run was announced once, though the notifier has polled every few seconds since.
        var firstRun = completed.GetProperty("runId").GetString()!;
        Assert.Single(receiver.Delivered("loop"), r => r.Type == WebhookEventTypes.RunCompleted && r.Body.Contains(firstRun, StringComparison.Ordinal));
    }

    private static async Task<JsonElement> CheckAsync(HttpClient admin, string model)
    {
        var response = await admin.PostAsync($"api/models/{model}/monitoring/check", null);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    private static IEnumerable<string> Drifted(JsonElement report) =>
        report.GetProperty("features").EnumerateArray().Where(f => f.GetProperty("verdict").GetString() == "Drift").Select(f => f.GetProperty("name").GetString()!).Order();

    [GeneratedRegex("""^[a-zA-Z_:][a-zA-Z0-9_:]*(\{.*\})? [-+0-9.eEInfNa]+( [0-9]+)?$""")]
    private static partial Regex SampleLine();
}
