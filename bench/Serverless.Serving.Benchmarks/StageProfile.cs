using System.Buffers;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Serverless.Hosting;
using Serverless.Hosting.Keys;
using Serverless.Serving.PredictionLogging;
using Serverless.Serving.Predictions;
using Serverless.Serving.Requests;
using Serverless.Serving.Traffic;

namespace Serverless.Serving.Benchmarks;

/// <summary>
/// One stage of a predict request and its mean cost in microseconds (one thread, in-process): wall time, and the
/// process's CPU time per call (all its threads, so background work a call causes counts; unlike wall time it does not
/// grow with other processes' load), and the bytes the process allocated per call (all threads).
/// </summary>
public sealed record StageTiming(string Stage, double MicrosecondsPerCall, double CpuMicrosecondsPerCall, double BytesPerCall);

/// <summary>
/// Times each stage of one predict request in the host's own process, without wrk, so the figures are not drowned by
/// machine load: the key check, model resolution, the traffic policy lookup, body parsing, ONNX Runtime, the
/// prediction log entry, the response, the whole service call; then sequential HTTP requests to predict and the
/// constant endpoint on one connection.
/// </summary>
public static class StageProfile
{
    private const int Calls = 3000;

    public static async Task<IReadOnlyList<StageTiming>> RunAsync(IServiceProvider services, HttpClient client, string model, string body, string batchCsv, string masterKey)
    {
        var timings = new List<StageTiming>();
        var bytes = Encoding.UTF8.GetBytes(body);
        var authorizer = services.GetRequiredService<FunctionKeyAuthorizer>();
        var keyed = new DefaultHttpContext();
        keyed.Request.Headers[FunctionKeyAuthorizer.HeaderName] = masterKey;
        keyed.Request.RouteValues["name"] = model;
        timings.Add(await TimeAsync("Key check (`FunctionKeyAuthorizer.CheckAsync`)", async () => await authorizer.CheckAsync(keyed, AuthorizationLevel.Function, KeyPermissions.Predict, CancellationToken.None)));

        var predictions = services.GetRequiredService<PredictionService>();
        timings.Add(await TimeAsync("Model resolution and lease (`ModelCache.AcquireAsync`, alias cached)", async () =>
        {
            using var lease = await predictions.AcquireAsync(model, null, null, CancellationToken.None);
        }));

        var traffic = services.GetService<TrafficPolicyCache>();
        if (traffic is not null)
        {
            timings.Add(await TimeAsync("Traffic policy lookup (`TrafficPolicyCache.GetAsync`)", async () => await traffic.GetAsync(model, CancellationToken.None)));
        }

        using var held = await predictions.AcquireAsync(model, null, null, CancellationToken.None);
        var signature = held.Model.Signature!;
        timings.Add(Time("Body parsing and frame building (`PredictionRequestReader.Read`)", () => PredictionRequestReader.Read(bytes, "application/json", signature, 1000)));
        var frame = PredictionRequestReader.Read(bytes, "application/json", signature, 1000);
        timings.Add(Time("ONNX Runtime (`OnnxModel.Score`, one row)", () => held.Model.Score(frame)));
        var scored = held.Model.Score(frame);
        timings.Add(Time("Prediction id (`PredictionId.New`)", () => PredictionId.New(DateTimeOffset.UtcNow)));
        var logLines = new PredictionLogBuffer(maxLinesPerChunk: 1_000);
        var logChunks = new List<PredictionLogChunk>();
        var logged = new ScoredRows(model, held.Version, DateTimeOffset.UtcNow, frame, scored, ["id"], 1, null, null, null);
        timings.Add(Time("Prediction log line (`ScoredRows.WriteLines`: the row's JSON line, on the request)", () =>
        {
            logged.WriteLines(1, logLines);
            logLines.Take(int.MaxValue, logChunks); // as the writer does, with the chunk given back for reuse
            logLines.Return(logChunks);
            logChunks.Clear();
        }));
        var result = new PredictionResult(model, held.Version, [PredictionId.New(DateTimeOffset.UtcNow)], scored);
        var buffer = new ArrayBufferWriter<byte>(1024);
        timings.Add(Time("Response JSON (`PredictionResponseWriter.Write`)", () =>
        {
            buffer.ResetWrittenCount();
            using var writer = new Utf8JsonWriter(buffer);
            PredictionResponseWriter.Write(writer, result);
        }));
        var csv = Encoding.UTF8.GetBytes(batchCsv);
        var batchFrame = PredictionRequestReader.Read(csv, "text/csv", signature, 10_000);
        var rows = batchFrame.RowCount;
        timings.Add(Time($"Batch: CSV parsing and frame building, {rows} rows", () => PredictionRequestReader.Read(csv, "text/csv", signature, 10_000), 20));
        timings.Add(Time($"Batch: ONNX Runtime, {rows} rows", () => held.Model.Score(batchFrame), 20));
        var batchScored = held.Model.Score(batchFrame);
        var batchResult = new PredictionResult(model, held.Version, Enumerable.Range(0, rows).Select(_ => PredictionId.New(DateTimeOffset.UtcNow)).ToArray(), batchScored);
        timings.Add(Time($"Batch: response JSON, {rows} rows", () =>
        {
            buffer.ResetWrittenCount();
            using var writer = new Utf8JsonWriter(buffer);
            PredictionResponseWriter.Write(writer, batchResult);
        }, 20));
        timings.Add(await TimeAsync($"Batch: whole service call, {rows} rows (logged)", async () =>
            await predictions.PredictAsync(model, null, null, csv, "text/csv", null, CancellationToken.None), 10));
        await QuietAsync(services);

        timings.Add(await TimeAsync("Whole service call (`PredictionService.PredictAsync`, logged)", async () =>
            await predictions.PredictAsync(model, null, null, bytes, "application/json", null, CancellationToken.None)));
        await QuietAsync(services);
        var logOptions = services.GetRequiredService<IOptions<PredictionLogOptions>>().Value;
        var sampling = logOptions.SamplingRate;
        logOptions.SamplingRate = 0;
        try
        {
            timings.Add(await TimeAsync("Whole service call, prediction log sampling 0 (diagnostic only)", async () =>
                await predictions.PredictAsync(model, null, null, bytes, "application/json", null, CancellationToken.None)));
        }
        finally
        {
            logOptions.SamplingRate = sampling;
        }


        await QuietAsync(services);
        timings.Add(await TimeAsync("HTTP predict, sequential, one connection (round trip)", () => PostAsync(client, $"api/models/{model}/predict", body), Calls / 3));
        await QuietAsync(services);
        logOptions.SamplingRate = 0;
        try
        {
            timings.Add(await TimeAsync("HTTP predict, prediction log sampling 0 (diagnostic only)", () => PostAsync(client, $"api/models/{model}/predict", body), Calls / 3));
        }
        finally
        {
            logOptions.SamplingRate = sampling;
        }

        timings.Add(await TimeAsync("HTTP constant endpoint, sequential, one connection (round trip)", () => PostAsync(client, "api/bench/constant", body), Calls / 3));
        return timings;
    }

    public static string ToMarkdown(IReadOnlyList<StageTiming> timings)
    {
        var md = new StringBuilder("| Stage of one predict request (in-process, one thread) | µs per call (wall) | µs per call (process CPU) | bytes allocated per call (process) |\n|---|---:|---:|---:|\n");
        foreach (var t in timings)
        {
            md.Append(CultureInfo.InvariantCulture, $"| {t.Stage} | {t.MicrosecondsPerCall:0.0} | {t.CpuMicrosecondsPerCall:0.0} | {t.BytesPerCall:0} |\n");
        }

        return md.ToString();
    }

    private static async Task PostAsync(HttpClient client, string path, string body)
    {
        using var response = await client.PostAsync(path, new StringContent(body, Encoding.UTF8, "application/json"));
        response.EnsureSuccessStatusCode();
        _ = await response.Content.ReadAsByteArrayAsync();
    }

    private static StageTiming Time(string stage, Action call, int calls = Calls)
    {
        for (var i = 0; i < Math.Max(1, calls / 10); i++)
        {
            call();
        }

        var cpu = Environment.CpuUsage.TotalTime;
        var allocated = GC.GetTotalAllocatedBytes(precise: true);
        var started = Stopwatch.GetTimestamp();
        for (var i = 0; i < calls; i++)
        {
            call();
        }

        return Report(new StageTiming(stage, Stopwatch.GetElapsedTime(started).TotalMicroseconds / calls, (Environment.CpuUsage.TotalTime - cpu).TotalMicroseconds / calls,
            (double)(GC.GetTotalAllocatedBytes(precise: true) - allocated) / calls));
    }

    /// <summary>Waits until the prediction log's writer has caught up, so one stage's logging does not load the next.</summary>
    private static async Task QuietAsync(IServiceProvider services)
    {
        var log = services.GetRequiredService<PredictionLog>();
        var deadline = DateTime.UtcNow.AddSeconds(30);
        long seen;
        do
        {
            seen = log.WrittenCount + log.DroppedCount;
            await Task.Delay(500);
        }
        while (log.WrittenCount + log.DroppedCount != seen && DateTime.UtcNow < deadline);
    }

    private static async Task<StageTiming> TimeAsync(string stage, Func<Task> call, int calls = Calls)
    {
        for (var i = 0; i < Math.Max(1, calls / 10); i++)
        {
            await call();
        }

        var cpu = Environment.CpuUsage.TotalTime;
        var allocated = GC.GetTotalAllocatedBytes(precise: true);
        var started = Stopwatch.GetTimestamp();
        for (var i = 0; i < calls; i++)
        {
            await call();
        }

        return Report(new StageTiming(stage, Stopwatch.GetElapsedTime(started).TotalMicroseconds / calls, (Environment.CpuUsage.TotalTime - cpu).TotalMicroseconds / calls,
            (double)(GC.GetTotalAllocatedBytes(precise: true) - allocated) / calls));
    }

    private static StageTiming Report(StageTiming timing)
    {
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {timing.Stage}: {timing.MicrosecondsPerCall:0.0} µs wall, {timing.CpuMicrosecondsPerCall:0.0} µs CPU, {timing.BytesPerCall:0} bytes"));
        return timing;
    }
}
