using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Serverless.Onnx.Tests.Fixtures;
using Serverless.Serving.PredictionLogging;
using Serverless.Serving.Tests.Infrastructure;
using Serverless.Storage;
using Serverless.Testing;
using Xunit;

namespace Serverless.Serving.Tests;

public sealed class PredictionLogTests(AzuriteFixture azurite) : IClassFixture<AzuriteFixture>
{
    private static string Rows(int count) =>
        "{ \"instances\": [" + string.Join(",", Enumerable.Range(0, count).Select(i => $$"""{ "age": {{20 + i}}, "active": {{i % 2}}, "plan": {{(i % 3 == 0 ? "null" : "\"pro\"")}} }""")) + "] }";

    [Fact]
    public async Task Predictions_land_in_table_storage_in_batches_keyed_by_model_hour_and_id()
    {
        var source = new InMemoryModelSource().Add("churn", 3, TestModels.Churn(version: 3), "production");
        var batches = new List<int>();
        await using var host = await ServingHost.StartAsync(source, azurite.Storage.Tables, services =>
        {
            services.Configure<PredictionLogOptions>(o => o.BatchSize = 50);
            services.AddSingleton<IPredictionLogSink>(provider => new CountingSink(
                new PredictionLogStore(provider.GetRequiredService<ITableStore>(), provider.GetRequiredService<IOptions<PredictionLogOptions>>()), batches));
        });
        var table = host.Services.GetRequiredService<IOptions<PredictionLogOptions>>().Value.TableName;
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/models/churn/predict") { Content = new StringContent(Rows(120), System.Text.Encoding.UTF8, "application/json") };
        request.Headers.Add("x-correlation-id", "corr-42");

        var response = await host.Client.SendAsync(request);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var ids = json.RootElement.GetProperty("predictions").EnumerateArray().Select(p => p.GetProperty("id").GetString()!).ToList();
        await WaitUntilAsync(() => host.Log.WrittenCount >= 120);

        Assert.Equal(120, batches.Sum());
        Assert.True(batches.Count >= 3 && batches.All(b => b <= 50), string.Join(",", batches));
        var partition = PredictionLogStore.Partition("churn", Predictions.PredictionId.TimeOf(ids[0])!.Value);
        Assert.StartsWith("churn_", partition, StringComparison.Ordinal);
        var rows = new List<TableEntity>();
        await foreach (var row in azurite.Storage.Tables.QueryAsync(table, TableQuery.Partition(partition)))
        {
            rows.Add(row);
        }

        Assert.Equal(ids.Order(StringComparer.Ordinal), rows.Select(r => r.RowKey).Order(StringComparer.Ordinal));
        var first = rows.Single(r => r.RowKey == ids[0]);
        Assert.Equal(3, first.GetInt32("Version"));
        Assert.Equal("churn", first.GetString("Model"));
        Assert.Equal("corr-42", first.GetString("CorrelationId"));
        Assert.Equal("""{"age":20,"active":0,"plan":null}""", first.GetString("Inputs"));
        Assert.Equal(json.RootElement.GetProperty("predictions")[0].GetProperty("label").GetString(), first.GetString("Output"));
        Assert.Contains("\"yes\":", first.GetString("Probabilities")!, StringComparison.Ordinal);
        Assert.True(first.GetDouble("LatencyMs") > 0);
    }

    [Fact]
    public async Task A_stalled_sink_never_slows_predictions_entries_are_dropped_and_counted()
    {
        var source = new InMemoryModelSource().Add("churn", 1, TestModels.Churn(), "production");
        var sink = new StalledSink();
        await using var host = await ServingHost.StartAsync(source, azurite.Storage.Tables, services =>
        {
            services.Configure<PredictionLogOptions>(o => { o.Capacity = 20; o.BatchSize = 5; });
            services.AddSingleton<IPredictionLogSink>(sink);
        });
        long measured = 0;
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Name == PredictionLog.DroppedCounterName)
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((_, value, _, _) => Interlocked.Add(ref measured, value));
        listener.Start();

        var body = Rows(10);
        var watch = Stopwatch.StartNew();
        for (var i = 0; i < 20; i++)
        {
            var (status, _, _) = await HttpJson.PostAsync(host.Client, "/api/models/churn/predict", body);
            Assert.Equal(200, status);
        }

        watch.Stop();
        Assert.True(sink.Entered.Task.IsCompleted, "the writer reached the sink");
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(10), $"20 requests took {watch.Elapsed}");
        Assert.InRange(host.Log.DroppedCount, 200 - 20 - 5, 200 - 20);
        Assert.True(Interlocked.Read(ref measured) >= host.Log.DroppedCount);
        Assert.Equal(0, host.Log.WrittenCount);
    }

    [Fact]
    public async Task A_sampling_rate_of_zero_logs_nothing_and_drops_nothing()
    {
        var source = new InMemoryModelSource().Add("churn", 1, TestModels.Churn(), "production");
        await using var host = await ServingHost.StartAsync(source, azurite.Storage.Tables, services =>
            services.Configure<PredictionLogOptions>(o => { o.SamplingRate = 0; o.Capacity = 1; }));

        Assert.Equal(200, (await HttpJson.PostAsync(host.Client, "/api/models/churn/predict", Rows(30))).Status);
        await Task.Delay(300);

        Assert.Equal(0, host.Log.WrittenCount);
        Assert.Equal(0, host.Log.DroppedCount);
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "timed out");
            await Task.Delay(50);
        }
    }

    private sealed class CountingSink(IPredictionLogSink inner, List<int> batches) : IPredictionLogSink
    {
        public async Task WriteAsync(IReadOnlyList<PredictionLogEntry> batch, CancellationToken cancellationToken)
        {
            lock (batches)
            {
                batches.Add(batch.Count);
            }

            await inner.WriteAsync(batch, cancellationToken);
        }
    }

    /// <summary>A sink that never finishes (until shutdown).</summary>
    [Fact]
    public async Task A_request_larger_than_the_free_buffer_is_logged_in_part_and_the_rest_counted_as_dropped()
    {
        var source = new InMemoryModelSource().Add("churn", 1, TestModels.Churn(), "production");
        var sink = new StalledSink();
        await using var host = await ServingHost.StartAsync(source, azurite.Storage.Tables, services =>
        {
            services.Configure<PredictionLogOptions>(o => { o.Capacity = 25; o.BatchSize = 100; });
            services.AddSingleton<IPredictionLogSink>(sink);
        });

        var (status, json, _) = await HttpJson.PostAsync(host.Client, "/api/models/churn/predict", Rows(40));

        Assert.Equal(200, status);
        await sink.Entered.Task.WaitAsync(TimeSpan.FromSeconds(15));
        Assert.Equal(15, host.Log.DroppedCount);
        Assert.True(sink.Batches.TryPeek(out var first));
        var ids = json.GetProperty("predictions").EnumerateArray().Select(p => p.GetProperty("id").GetString()).Take(25);
        Assert.Equal(ids, first.Select(entry => entry.Id));
        Assert.Equal("""{"age":20,"active":0,"plan":null}""", first[0].Inputs);
    }

    private sealed class StalledSink : IPredictionLogSink
    {
        public TaskCompletionSource Entered { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public ConcurrentQueue<IReadOnlyList<PredictionLogEntry>> Batches { get; } = new();

        public async Task WriteAsync(IReadOnlyList<PredictionLogEntry> batch, CancellationToken cancellationToken)
        {
            Batches.Enqueue([.. batch]);
            Entered.TrySetResult();
            await Task.Delay(Timeout.Infinite, cancellationToken);
        }
    }
}
