using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Serverless.Onnx.Tests.Fixtures;
using Serverless.Serving.PredictionLogging;
using Serverless.Serving.Telemetry;
using Serverless.Serving.Tests.Infrastructure;
using Serverless.Storage;
using Serverless.Testing;
using Xunit;

namespace Serverless.Serving.Tests;

/// <summary>Serving metrics and traces over real HTTP: what a dashboard and a trace viewer would see.</summary>
public sealed class ServingTelemetryTests(AzuriteFixture azurite) : IClassFixture<AzuriteFixture>
{
    private const string Model = "telemetry";

    private const string Body = """{ "instances": [ { "age": 20, "active": 1, "plan": "pro" }, { "age": 70, "active": 0, "plan": null } ] }""";

    private const string InferBody = """
        { "inputs": [
            { "name": "age", "shape": [1], "datatype": "FP32", "data": [20] },
            { "name": "active", "shape": [1], "datatype": "BOOL", "data": [true] },
            { "name": "plan", "shape": [1], "datatype": "BYTES", "data": ["free"] } ] }
        """;

    [Fact]
    public async Task Requests_are_measured_by_model_version_status_and_endpoint_and_predictions_are_counted()
    {
        var measurements = new ConcurrentQueue<(string Instrument, double Value, Dictionary<string, object?> Tags)>();
        using var listener = Listen(measurements);
        var source = new InMemoryModelSource().Add(Model, 2, TestModels.Churn(Model, 2), "production");
        await using var host = await ServingHost.StartAsync(source, azurite.Storage);

        Assert.Equal(200, (await HttpJson.PostAsync(host.Client, $"/api/models/{Model}/predict", Body)).Status);
        Assert.Equal(400, (await HttpJson.PostAsync(host.Client, $"/api/models/{Model}/predict", """{ "instances": [ { "age": "old" } ] }""")).Status);
        Assert.Equal(200, (await HttpJson.PostAsync(host.Client, $"/v2/models/{Model}/infer", InferBody)).Status);
        Assert.Equal(404, (await HttpJson.PostAsync(host.Client, "/api/models/telemetry-unknown/predict", Body)).Status);

        var requests = measurements.Where(m => m.Instrument == ServingTelemetry.RequestDurationName).ToList();
        var mine = requests.Where(m => Equals(m.Tags["model"], Model)).ToList();
        Assert.Contains(mine, m => m.Tags["status"] is 200 && Equals(m.Tags["version"], "2") && Equals(m.Tags["endpoint"], "predict") && m.Value > 0);
        Assert.Contains(mine, m => m.Tags["status"] is 400 && m.Tags["version"] is null && Equals(m.Tags["endpoint"], "predict"));
        Assert.Contains(mine, m => m.Tags["status"] is 200 && Equals(m.Tags["version"], "2") && Equals(m.Tags["endpoint"], "infer"));
        Assert.Contains(requests, m => m.Tags["status"] is 404 && m.Tags["model"] is null);

        var counted = measurements.Where(m => m.Instrument == ServingTelemetry.PredictionsName && Equals(m.Tags["model"], Model)).ToList();
        Assert.Equal(3, counted.Sum(m => m.Value));
        Assert.All(counted, m => Assert.Equal("2", m.Tags["version"]));

        var load = Assert.Single(measurements, m => m.Instrument == ServingTelemetry.ModelLoadDurationName && Equals(m.Tags["model"], Model));
        Assert.Equal("2", load.Tags["version"]);
        Assert.True(load.Value > 0);
    }

    [Fact]
    public async Task The_request_trace_names_the_model_and_the_prediction_log_names_the_trace()
    {
        var traceId = ActivityTraceId.CreateRandom();
        var traced = new ConcurrentQueue<Activity>();
        using var activities = new ActivityListener
        {
            ShouldListenTo = source => source.Name == "Microsoft.AspNetCore",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = activity =>
            {
                if (activity.TraceId == traceId)
                {
                    traced.Enqueue(activity);
                }
            },
        };
        ActivitySource.AddActivityListener(activities);
        var source = new InMemoryModelSource().Add(Model, 2, TestModels.Churn(Model, 2), "production");
        await using var host = await ServingHost.StartAsync(source, azurite.Storage);

        using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/models/{Model}/predict") { Content = new StringContent(Body, Encoding.UTF8, "application/json") };
        request.Headers.Add("traceparent", $"00-{traceId.ToHexString()}-{ActivitySpanId.CreateRandom().ToHexString()}-01");
        using var response = await host.Client.SendAsync(request);
        Assert.Equal(200, (int)response.StatusCode);

        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (host.Log.WrittenCount < 2 || traced.IsEmpty)
        {
            Assert.True(DateTime.UtcNow < deadline, "timed out");
            await Task.Delay(50);
        }

        var activity = Assert.Single(traced);
        Assert.Equal(Model, activity.GetTagItem(ServingTelemetry.ModelTag));
        Assert.Equal(2, activity.GetTagItem(ServingTelemetry.ModelVersionTag));
        var rows = await host.Services.GetRequiredService<PredictionLogStore>().ReadHourAsync(Model, DateTimeOffset.UtcNow, CancellationToken.None);
        if (rows.Count < 2)
        {
            rows = [.. rows, .. await host.Services.GetRequiredService<PredictionLogStore>().ReadHourAsync(Model, DateTimeOffset.UtcNow.AddHours(-1), CancellationToken.None)];
        }

        Assert.Equal(2, rows.Count);
        Assert.All(rows, row => Assert.Equal(traceId.ToHexString(), row.TraceId));
    }

    private static MeterListener Listen(ConcurrentQueue<(string, double, Dictionary<string, object?>)> measurements)
    {
        var listener = new MeterListener
        {
            InstrumentPublished = (instrument, l) =>
            {
                if (instrument.Meter.Name == ServingTelemetry.MeterName)
                {
                    l.EnableMeasurementEvents(instrument);
                }
            },
        };
        listener.SetMeasurementEventCallback<double>((instrument, value, tags, _) => measurements.Enqueue((instrument.Name, value, ToDictionary(tags))));
        listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) => measurements.Enqueue((instrument.Name, value, ToDictionary(tags))));
        listener.Start();
        return listener;
    }

    private static Dictionary<string, object?> ToDictionary(ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var result = new Dictionary<string, object?>(StringComparer.Ordinal) { ["model"] = null, ["version"] = null, ["status"] = null, ["endpoint"] = null };
        foreach (var tag in tags)
        {
            result[tag.Key] = tag.Value;
        }

        return result;
    }
}
