using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Serverless.Onnx.Tests.Fixtures;
using Serverless.Serving.PredictionLogging;
using Serverless.Serving.Predictions;
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
    public async Task Predictions_are_appended_in_batches_to_one_segment_per_model_version_hour_and_writer()
    {
        var source = new InMemoryModelSource().Add("churn", 3, TestModels.Churn(version: 3), "production");
        var batches = new List<int>();
        await using var host = await ServingHost.StartAsync(source, azurite.Storage, services =>
        {
            services.Configure<PredictionLogOptions>(o => { o.BatchSize = 50; o.WriterId = "Host_A"; });
            services.AddSingleton<IPredictionLogSink>(provider => new CountingSink(provider.GetRequiredService<PredictionLogStore>(), batches));
        });
        var options = host.Services.GetRequiredService<IOptions<PredictionLogOptions>>().Value;
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/models/churn/predict") { Content = new StringContent(Rows(120), System.Text.Encoding.UTF8, "application/json") };
        request.Headers.Add("x-correlation-id", "corr-42");

        var response = await host.Client.SendAsync(request);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var ids = json.RootElement.GetProperty("predictions").EnumerateArray().Select(p => p.GetProperty("id").GetString()!).ToList();
        await WaitUntilAsync(() => host.Log.WrittenCount >= 120);

        Assert.Equal(120, batches.Sum());
        Assert.True(batches.Count >= 3 && batches.All(b => b <= 50), string.Join(",", batches));
        var hour = PredictionLogSegments.Hour(Predictions.PredictionId.TimeOf(ids[0])!.Value);
        var segments = new List<BlobItem>();
        await foreach (var blob in azurite.Storage.Blobs.ListAsync(options.Container))
        {
            segments.Add(blob);
        }

        Assert.Equal([PredictionLogSegments.VersionPrefix("churn", hour, 3) + "host-a.jsonl"], segments.Select(s => s.Name));
        Assert.Equal($"churn/{hour:yyyyMMddHH}/v3/host-a.jsonl", segments[0].Name);
        string[] lines;
        await using (var stream = await azurite.Storage.Blobs.OpenReadAsync(options.Container, segments[0].Name))
        {
            lines = (await new StreamReader(stream).ReadToEndAsync()).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        }

        Assert.Equal(ids, lines.Select(line => JsonDocument.Parse(line).RootElement.GetProperty("id").GetString()));
        var first = JsonDocument.Parse(lines[0]).RootElement;
        Assert.Equal(3, first.GetProperty("version").GetInt32());
        Assert.Equal("churn", first.GetProperty("model").GetString());
        Assert.Equal("corr-42", first.GetProperty("correlationId").GetString());
        Assert.Equal("""{"age":20,"active":0,"plan":null}""", first.GetProperty("inputs").GetRawText());
        Assert.Equal(json.RootElement.GetProperty("predictions")[0].GetProperty("label").GetString(), first.GetProperty("output").GetString());
        Assert.True(first.GetProperty("probabilities").TryGetProperty("yes", out _));
        Assert.True(first.GetProperty("latencyMs").GetDouble() > 0);

        var read = await host.Services.GetRequiredService<PredictionLogStore>().ReadPredictionsAsync("churn", 3, hour, DateTimeOffset.UtcNow.AddMinutes(1), 1000, CancellationToken.None);
        Assert.Equal(ids.Order(StringComparer.Ordinal), read.Select(r => r.Id).Order(StringComparer.Ordinal));
        Assert.Equal(20, read.Single(r => r.Id == ids[0]).Inputs.GetProperty("age").GetInt32());
        Assert.Empty(await host.Services.GetRequiredService<PredictionLogStore>().ReadPredictionsAsync("churn", 2, hour, DateTimeOffset.UtcNow.AddMinutes(1), 1000, CancellationToken.None));
    }

    [Fact]
    public async Task A_clean_shutdown_appends_everything_still_buffered()
    {
        var source = new InMemoryModelSource().Add("churn", 1, TestModels.Churn(), "production");
        var host = await ServingHost.StartAsync(source, azurite.Storage, services =>
            services.Configure<PredictionLogOptions>(o => { o.FlushInterval = TimeSpan.FromMinutes(10); o.BatchSize = 100_000; o.Capacity = 100_000; }));
        var store = host.Services.GetRequiredService<PredictionLogStore>();
        var ids = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            var (status, json, _) = await HttpJson.PostAsync(host.Client, "/api/models/churn/predict", Rows(30));
            Assert.Equal(200, status);
            ids.AddRange(json.GetProperty("predictions").EnumerateArray().Select(p => p.GetProperty("id").GetString()!));
        }

        var log = host.Log;
        await Task.Delay(300);
        Assert.Equal(0, log.WrittenCount);
        Assert.Equal(150, log.BufferedCount);

        await host.DisposeAsync();

        Assert.Equal(150, log.WrittenCount);
        var from = Predictions.PredictionId.TimeOf(ids[0])!.Value;
        var read = await store.ReadPredictionsAsync("churn", 1, from.AddHours(-1), DateTimeOffset.UtcNow.AddMinutes(1), 1000, CancellationToken.None);
        Assert.Equal(ids.Order(StringComparer.Ordinal), read.Select(r => r.Id).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Without_a_shutdown_predictions_are_readable_one_flush_interval_later_so_a_crash_loses_at_most_that()
    {
        var source = new InMemoryModelSource().Add("churn", 1, TestModels.Churn(), "production");
        await using var host = await ServingHost.StartAsync(source, azurite.Storage, services =>
            services.Configure<PredictionLogOptions>(o => { o.FlushInterval = TimeSpan.FromMilliseconds(300); o.BatchSize = 100_000; }));
        var store = host.Services.GetRequiredService<PredictionLogStore>();

        var (_, json, _) = await HttpJson.PostAsync(host.Client, "/api/models/churn/predict", Rows(40));
        var ids = json.GetProperty("predictions").EnumerateArray().Select(p => p.GetProperty("id").GetString()!).ToList();
        var sent = Stopwatch.StartNew();
        var from = Predictions.PredictionId.TimeOf(ids[0])!.Value.AddHours(-1);
        IReadOnlyList<LoggedPrediction> read = [];
        while (read.Count < ids.Count && sent.Elapsed < TimeSpan.FromSeconds(15))
        {
            await Task.Delay(50);
            read = await store.ReadPredictionsAsync("churn", 1, from, DateTimeOffset.UtcNow.AddMinutes(1), 1000, CancellationToken.None);
        }

        // The batch did not fill (100,000): the flush interval alone wrote it, well before any shutdown.
        Assert.Equal(ids.Count, read.Count);
        Assert.True(sent.Elapsed < TimeSpan.FromSeconds(5), $"readable after {sent.Elapsed}");
        Assert.Equal(0, host.Log.BufferedCount);
    }

    [Fact]
    public async Task Retention_deletes_whole_expired_hour_segments_and_keeps_the_hour_the_cutoff_falls_in()
    {
        var source = new InMemoryModelSource();
        await using var host = await ServingHost.StartAsync(source, azurite.Storage);
        var store = host.Services.GetRequiredService<PredictionLogStore>();
        var container = host.Services.GetRequiredService<IOptions<PredictionLogOptions>>().Value.Container;
        var cutoff = new DateTimeOffset(2026, 3, 10, 12, 30, 0, TimeSpan.Zero);
        PredictionLogEntry Entry(DateTimeOffset time, int version) =>
            new(Predictions.PredictionId.New(time), "churn", version, time, """{"age":1}""", "yes", null, 1, null);
        await store.WriteAsync([Entry(cutoff.AddHours(-26), 1), Entry(cutoff.AddHours(-2), 1), Entry(cutoff.AddHours(-2), 2), Entry(cutoff.AddMinutes(-20), 1), Entry(cutoff.AddMinutes(10), 1), Entry(cutoff.AddHours(3), 1)], CancellationToken.None);

        var purge = await store.PurgeBeforeAsync(cutoff, CancellationToken.None);

        Assert.Equal(3, purge.Segments);
        var left = new List<string>();
        await foreach (var blob in azurite.Storage.Blobs.ListAsync(container))
        {
            left.Add(blob.Name);
        }

        Assert.Equal([PredictionLogSegments.VersionPrefix("churn", cutoff, 1) + PredictionLogSegments.WriterId(null) + ".jsonl", PredictionLogSegments.VersionPrefix("churn", cutoff.AddHours(3), 1) + PredictionLogSegments.WriterId(null) + ".jsonl"], left);
        var kept = await store.ReadPredictionsAsync("churn", 1, cutoff.AddDays(-2), cutoff.AddDays(1), 100, CancellationToken.None);
        Assert.Equal([cutoff.AddHours(3), cutoff.AddMinutes(-20), cutoff.AddMinutes(10)], kept.Select(r => r.Time).ToArray());
    }

    [Fact]
    public async Task A_stalled_sink_never_slows_predictions_entries_are_dropped_and_counted()
    {
        var source = new InMemoryModelSource().Add("churn", 1, TestModels.Churn(), "production");
        var sink = new StalledSink();
        await using var host = await ServingHost.StartAsync(source, azurite.Storage, services =>
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
        Assert.Equal(200 - 20, host.Log.DroppedCount);
        Assert.True(Interlocked.Read(ref measured) >= host.Log.DroppedCount);
        Assert.Equal(0, host.Log.WrittenCount);
        Assert.Equal(20, host.Log.BufferedCount); // unwritten, in flight included: what a crash would lose, never above the capacity
    }

    [Fact]
    public async Task Concurrent_requests_are_all_logged_once_each_with_their_own_inputs()
    {
        var source = new InMemoryModelSource().Add("churn", 1, TestModels.Churn(), "production");
        await using var host = await ServingHost.StartAsync(source, azurite.Storage, services =>
            services.Configure<PredictionLogOptions>(o => { o.BatchSize = 37; o.WriterId = "concurrent"; }));
        var options = host.Services.GetRequiredService<IOptions<PredictionLogOptions>>().Value;

        // 8 clients x 25 requests of 1-3 rows, each row's age unique, so every line can be told from every other.
        var sent = new ConcurrentDictionary<string, int>();
        await Task.WhenAll(Enumerable.Range(0, 8).Select(client => Task.Run(async () =>
        {
            for (var r = 0; r < 25; r++)
            {
                var rows = 1 + (r % 3);
                var ages = Enumerable.Range(0, rows).Select(i => 1000 * client + 10 * r + i).ToArray();
                var body = "{ \"instances\": [" + string.Join(",", ages.Select(age => $$"""{ "age": {{age}}, "active": 1, "plan": "pro" }""")) + "] }";
                var (status, json, _) = await HttpJson.PostAsync(host.Client, "/api/models/churn/predict", body);
                Assert.Equal(200, status);
                var ids = json.GetProperty("predictions").EnumerateArray().Select(p => p.GetProperty("id").GetString()!).ToArray();
                for (var i = 0; i < rows; i++)
                {
                    Assert.True(sent.TryAdd(ids[i], ages[i]));
                }
            }
        })));
        await WaitUntilAsync(() => host.Log.WrittenCount >= sent.Count);

        var lines = new List<string>();
        await foreach (var blob in azurite.Storage.Blobs.ListAsync(options.Container))
        {
            await using var stream = await azurite.Storage.Blobs.OpenReadAsync(options.Container, blob.Name);
            lines.AddRange((await new StreamReader(stream).ReadToEndAsync()).Split('\n', StringSplitOptions.RemoveEmptyEntries));
        }

        Assert.Equal(8 * (9 * 1 + 8 * 2 + 8 * 3), sent.Count);
        Assert.Equal(sent.Count, lines.Count);
        var logged = lines.Select(line => JsonDocument.Parse(line).RootElement)
            .ToDictionary(e => e.GetProperty("id").GetString()!, e => e.GetProperty("inputs").GetProperty("age").GetInt32());
        Assert.Equal(sent.OrderBy(p => p.Key, StringComparer.Ordinal), logged.OrderBy(p => p.Key, StringComparer.Ordinal));
        Assert.Equal(0, host.Log.DroppedCount);
        Assert.Equal(0, host.Log.BufferedCount);
    }

    [Fact]
    public async Task A_buffered_prediction_keeps_nothing_of_its_request_alive_until_the_flush()
    {
        var source = new InMemoryModelSource().Add("churn", 1, TestModels.Churn(), "production");
        await using var host = await ServingHost.StartAsync(source, azurite.Storage, services =>
            services.Configure<PredictionLogOptions>(o => { o.FlushInterval = TimeSpan.FromMinutes(10); o.BatchSize = 100_000; }));
        var service = host.Services.GetRequiredService<PredictionService>();

        var frame = await ScoreAndForgetAsync(service);
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();

        Assert.Equal(30, host.Log.BufferedCount); // still waiting for the flush…
        Assert.False(frame.IsAlive, "the request's frame is still referenced by the log's buffer"); // …as lines, not as the request's objects
    }

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    private static async Task<WeakReference> ScoreAndForgetAsync(PredictionService service)
    {
        using var lease = await service.AcquireAsync("churn", null, null, CancellationToken.None);
        var frame = Requests.PredictionRequestReader.Read(System.Text.Encoding.UTF8.GetBytes(Rows(30)), "application/json", lease.Model.Signature!, 100);
        var result = service.Score(lease, frame, null, Stopwatch.GetTimestamp());
        Assert.Equal(30, result.Ids.Count);
        return new WeakReference(frame);
    }

    [Fact]
    public async Task Under_a_steady_load_the_writer_appends_once_per_flush_interval_not_back_to_back()
    {
        var source = new InMemoryModelSource().Add("churn", 1, TestModels.Churn(), "production");
        var batches = new List<int>();
        var interval = TimeSpan.FromMilliseconds(500);
        await using var host = await ServingHost.StartAsync(source, azurite.Storage, services =>
        {
            services.Configure<PredictionLogOptions>(o => { o.FlushInterval = interval; o.BatchSize = 100_000; o.Capacity = 100_000; });
            services.AddSingleton<IPredictionLogSink>(provider => new CountingSink(new SlowSink(provider.GetRequiredService<PredictionLogStore>(), TimeSpan.FromMilliseconds(50)), batches));
        });

        // Requests keep coming while every append takes 50 ms or more: what arrives during an append waits for the next
        // interval (appending it at once, append after append, made 20 or more appends of this load).
        var sent = 0;
        var load = Stopwatch.StartNew();
        while (load.Elapsed < TimeSpan.FromSeconds(2))
        {
            Assert.Equal(200, (await HttpJson.PostAsync(host.Client, "/api/models/churn/predict", Rows(1))).Status);
            sent++;
        }

        var elapsed = load.Elapsed;
        int during;
        lock (batches)
        {
            during = batches.Count;
        }

        await WaitUntilAsync(() => host.Log.WrittenCount >= sent);
        Assert.True(during >= 1 && during <= (int)(elapsed / interval) + 2, $"{during} appends in {elapsed} for {sent} requests");
        Assert.Equal(sent, host.Log.WrittenCount);
    }

    [Fact]
    public async Task A_sampling_rate_of_zero_logs_nothing_and_drops_nothing()
    {
        var source = new InMemoryModelSource().Add("churn", 1, TestModels.Churn(), "production");
        await using var host = await ServingHost.StartAsync(source, azurite.Storage, services =>
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
        public async Task WriteAsync(PredictionLogBatch batch, CancellationToken cancellationToken)
        {
            lock (batches)
            {
                batches.Add(batch.Count);
            }

            await inner.WriteAsync(batch, cancellationToken);
        }
    }

    /// <summary>A sink whose every write takes <paramref name="delay"/> longer (a slow storage account).</summary>
    private sealed class SlowSink(IPredictionLogSink inner, TimeSpan delay) : IPredictionLogSink
    {
        public async Task WriteAsync(PredictionLogBatch batch, CancellationToken cancellationToken)
        {
            await Task.Delay(delay, cancellationToken);
            await inner.WriteAsync(batch, cancellationToken);
        }
    }

    /// <summary>A sink that never finishes (until shutdown).</summary>
    [Fact]
    public async Task A_request_larger_than_the_free_buffer_is_logged_in_part_and_the_rest_counted_as_dropped()
    {
        var source = new InMemoryModelSource().Add("churn", 1, TestModels.Churn(), "production");
        var sink = new StalledSink();
        await using var host = await ServingHost.StartAsync(source, azurite.Storage, services =>
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

        public async Task WriteAsync(PredictionLogBatch batch, CancellationToken cancellationToken)
        {
            Batches.Enqueue([.. batch.Entries()]);
            Entered.TrySetResult();
            await Task.Delay(Timeout.Infinite, cancellationToken);
        }
    }
}
