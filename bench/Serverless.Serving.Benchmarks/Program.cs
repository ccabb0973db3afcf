using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging.Abstractions;
using Serverless.Onnx;
using Serverless.Orchestrations.Scoring;
using Serverless.Serving.Benchmarks;
using Serverless.Storage;
using Serverless.Storage.Azure.Azurite;
using Serverless.Testing;

// Usage: Serverless.Serving.Benchmarks [docs/benchmarks.md] [--profile-only] [--batch-only] [--batch-rows N] [--seconds S]
//        Serverless.Serving.Benchmarks --chunk-profile FILE [--chunk-rows N] [--repeats R]
// (--chunk-profile: one batch chunk in process, parse/score/format/stage medians, with the model and data a
// SERVING_BENCH_KEEP_MODEL=FILE run kept; no training, no host)
// (--batch-only: train, then batch scoring against raw ONNX Runtime only; nothing written to the docs)
// (--profile-only: train, then the limit endpoint and the product with the log on and off back to back under wrk, with
// allocations per request from dotnet-counters and top frames from dotnet-trace, then the in-process stage profile;
// printed, nothing written to the docs)
// (run.sh installs wrk, gunicorn, python3-flask, python3-sklearn and builds the local host first).
if (Array.IndexOf(args, "--stacks") is var stacksAt and >= 0)
{
    // --stacks FILE: the busy-time breakdown of a trace kept by --profile-only (SERVING_BENCH_KEEP_TRACE=1), converted to Speedscope.
    var stacks = SampledStacks.Read(args[stacksAt + 1]);
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"busy {stacks.BusyMs / 1000:0.0} s, blocked {stacks.BlockedMs / 1000:0.0} s\n{stacks.Top(60, inclusive: true)}\nexclusive:\n{stacks.Top(30, inclusive: false)}"));
    return;
}

var profileOnly = args.Contains("--profile-only");
var batchOnly = args.Contains("--batch-only");
var batchRows = Option("--batch-rows", 1_000_000);
var duration = TimeSpan.FromSeconds(Option("--seconds", 10));
var root = FindRoot();
var docs = args.Length > 0 && !args[0].StartsWith("--", StringComparison.Ordinal) ? args[0] : Path.Combine(root, "docs", "benchmarks.md");
const string Model = "bench";

// The dataset: scikit-learn's bundled breast cancer data, written once as CSV for the product and the peer alike.
var csvPath = Path.Combine(Path.GetTempPath(), $"serving-bench-{Guid.NewGuid():N}.csv");
await RunPythonAsync(Path.Combine(AppContext.BaseDirectory, "breast_cancer.py"), csvPath);
var data = BenchmarkDataset.Load(csvPath);
var body = data.SingleRowJson(0);
Console.WriteLine($"dataset: {data.Rows.Length} rows, {data.Features.Length} features; load average {WrkRun.LoadAverage()}");
await using var azurite = await AzuriteServer.StartAsync(new AzuriteOptions { Location = Directory.CreateTempSubdirectory("serving-bench-").FullName, InMemory = true }, NullLogger.Instance);
var storage = TestStorage.Connect(azurite.ConnectionString);
var masterKey = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(24));
if (Array.IndexOf(args, "--chunk-profile") is var profileAt and >= 0)
{
    // --chunk-profile FILE: one batch chunk in process (parse, score, format, stage) with a model kept by SERVING_BENCH_KEEP_MODEL=FILE.
    await ChunkProfile.RunAsync(args[profileAt + 1], storage.Blobs, Option("--chunk-rows", new BatchScoringOptions().ChunkRows), Option("--repeats", 7));
    File.Delete(csvPath);
    return;
}

// SERVING_BENCH_HOST: another build of the local host (for example a copy of the one before a change), for before/after profiles.
var hostDll = Environment.GetEnvironmentVariable("SERVING_BENCH_HOST") is { Length: > 0 } otherHost
    ? otherHost
    : Path.Combine(root, "Functions", "Serverless.Functions.LocalHost", "bin", "Release", "net10.0", "Serverless.Functions.LocalHost.dll");
if (!File.Exists(hostDll))
{
    throw new FileNotFoundException("Build the local host first: dotnet build -c Release Functions/Serverless.Functions.LocalHost (run.sh does).", hostDll);
}

// 1. The product trains its model of the dataset (first start of the local host).
Console.WriteLine("Training the benchmark model through the product...");
var product = ProductProcess.Start(hostDll, root, azurite.ConnectionString, masterKey);
var client = Client(product.BaseAddress, masterKey);
await WaitUntilAsync(product, async () => (await TryGetAsync(client, "api/models")) is not null, TimeSpan.FromSeconds(120), "the local host to listen");
await storage.Blobs.CreateContainerIfNotExistsAsync("datasets");
await storage.Blobs.UploadTextAsync("datasets", $"{Model}/project.json", $$"""{ "label": "{{BenchmarkDataset.Label}}", "trainers": ["lightgbm"] }""");
await WaitUntilAsync(product, async () => await TryGetAsync(client, $"api/projects/{Model}") == HttpStatusCode.OK, TimeSpan.FromSeconds(60), "the project spec");
await storage.Blobs.UploadBytesAsync("datasets", $"{Model}/breast-cancer.csv", await File.ReadAllBytesAsync(csvPath));
await WaitUntilAsync(product, async () => await TryGetAsync(client, $"api/models/{Model}") == HttpStatusCode.OK
    && (await client.GetFromJsonAsync<JsonElement>($"api/models/{Model}")).GetProperty("aliases").TryGetProperty("production", out _), TimeSpan.FromMinutes(5), "a production model");
var onnx = await client.GetByteArrayAsync($"api/models/{Model}/versions/1/onnx");
if (Environment.GetEnvironmentVariable("SERVING_BENCH_KEEP_MODEL") is { Length: > 0 } keepModel)
{
    // SERVING_BENCH_KEEP_MODEL=FILE: the trained model and its dataset (FILE.csv), for in-process profiles without retraining.
    await File.WriteAllBytesAsync(keepModel, onnx);
    File.Copy(csvPath, keepModel + ".csv", overwrite: true);
}

if (profileOnly)
{
    await product.DisposeAsync();
    await ProfileRun.RunAsync(async (settings, otherHost) =>
    {
        var started = ProductProcess.Start(otherHost ?? hostDll, root, azurite.ConnectionString, masterKey, settings);
        var startedClient = Client(started.BaseAddress, masterKey);
        await WaitUntilAsync(started, async () => await TryPostAsync(startedClient, $"api/models/{Model}/predict", body) == HttpStatusCode.OK, TimeSpan.FromSeconds(120), "the first prediction");
        return started;
    }, new Uri($"api/models/{Model}/predict", UriKind.Relative), onnx, data, body, masterKey, duration, Environment.GetEnvironmentVariable("SERVING_BENCH_BEFORE_HOST") is { Length: > 0 } beforeHost ? beforeHost : null);
    File.Delete(csvPath);
    return;
}


TimeSpan coldStart = default;
WrkResult productRun = default!, limitRun = default!, peerRun = default!;
Uri predictUrl;
if (!batchOnly)
{
    // 2. Cold start: the host process stopped and started again on the running Azurite, timed to its first answered prediction.
    await product.DisposeAsync();
    product = ProductProcess.Start(hostDll, root, azurite.ConnectionString, masterKey);
    client = Client(product.BaseAddress, masterKey);
    await WaitUntilAsync(product, async () => await TryPostAsync(client, $"api/models/{Model}/predict", body) == HttpStatusCode.OK, TimeSpan.FromSeconds(120), "the first prediction");
    coldStart = DateTime.UtcNow - product.Started;
    Console.WriteLine($"cold start: {coldStart.TotalSeconds:0.0} s");

    // 3. Serving: the product (log on), the limit endpoint, the tuned peer; each warmed by a short unreported run.
    predictUrl = new Uri(product.BaseAddress, $"api/models/{Model}/predict");
    await WrkRun.RunAsync("warm-up", predictUrl, body, "application/json", masterKey, TimeSpan.FromSeconds(3));
    productRun = Report(await WrkRun.RunAsync("Product `POST /api/models/{name}/predict`, prediction log on", predictUrl, body, "application/json", masterKey, duration));
    await using (var limit = await LimitEndpoint.StartAsync(onnx, data.Features))
    {
        await WrkRun.RunAsync("warm-up", new Uri(limit.BaseAddress, "predict"), body, "application/json", null, TimeSpan.FromSeconds(3));
        limitRun = Report(await WrkRun.RunAsync(LimitEndpoint.Description, new Uri(limit.BaseAddress, "predict"), body, "application/json", null, duration));
    }

    await using (var peer = await GunicornPeer.StartAsync(csvPath, BenchmarkDataset.Label))
    {
        await WrkRun.RunAsync("warm-up", new Uri(peer.BaseAddress, "predict"), body, "application/json", null, TimeSpan.FromSeconds(3));
        peerRun = Report(await WrkRun.RunAsync(GunicornPeer.Description, new Uri(peer.BaseAddress, "predict"), body, "application/json", null, duration));
    }
}

// 4. Batch scoring: a CSV of batchRows rows uploaded to scoring-input, timed until its run completed; raw ONNX Runtime over the same rows.
var chunkRows = new BatchScoringOptions().ChunkRows;
var csv = data.ScoringCsv(batchRows);
var instance = ScoringPaths.InstanceId(Model, "bench.csv", Convert.ToHexStringLower(SHA256.HashData(csv)));
await storage.Blobs.CreateContainerIfNotExistsAsync("scoring-input");
var batchClock = Stopwatch.StartNew();
await storage.Blobs.UploadBytesAsync("scoring-input", $"{Model}/bench.csv", csv);
var uploaded = batchClock.Elapsed;
await WaitUntilAsync(product, async () =>
{
    var response = await client.GetAsync($"runtime/webhooks/durabletask/instances/{instance}");
    if (response.StatusCode != HttpStatusCode.OK)
    {
        return false;
    }

    var status = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("runtimeStatus").GetString();
    return status == "Failed" ? throw new InvalidOperationException("batch scoring failed") : status == "Completed";
}, TimeSpan.FromMinutes(5), "batch scoring");
var productBatch = batchClock.Elapsed;
csv = null;
var rawBatch = InProcessScoring.RawBatch(onnx, data, batchRows, chunkRows);
TimeSpan oneThreadBatch;
using (var model = OnnxModel.Load(onnx))
{
    oneThreadBatch = InProcessScoring.ProductSessionBatch(model, data, batchRows, chunkRows);
}

Console.WriteLine($"batch {batchRows} rows: product {productBatch.TotalSeconds:0.0} s (upload {uploaded.TotalSeconds:0.0} s), raw ONNX Runtime (default session) {rawBatch.TotalSeconds:0.00} s = {productBatch / rawBatch:0.0}x (one-thread session {oneThreadBatch.TotalSeconds:0.00} s = {productBatch / oneThreadBatch:0.0}x); load average {WrkRun.LoadAverage()}");
Console.WriteLine($"batch status: {await client.GetStringAsync($"runtime/webhooks/durabletask/instances/{instance}")}");
if (batchOnly)
{
    await product.DisposeAsync();
    return;
}

// 5. Diagnostic: the product again with the prediction log off.
await product.DisposeAsync();
product = ProductProcess.Start(hostDll, root, azurite.ConnectionString, masterKey, new Dictionary<string, string> { ["Serving__PredictionLog__SamplingRate"] = "0" });
client = Client(product.BaseAddress, masterKey);
await WaitUntilAsync(product, async () => await TryPostAsync(client, $"api/models/{Model}/predict", body) == HttpStatusCode.OK, TimeSpan.FromSeconds(120), "the first prediction");
predictUrl = new Uri(product.BaseAddress, $"api/models/{Model}/predict");
await WrkRun.RunAsync("warm-up", predictUrl, body, "application/json", masterKey, TimeSpan.FromSeconds(3));
var unlogged = Report(await WrkRun.RunAsync("Product predict, prediction log off (diagnostic only)", predictUrl, body, "application/json", masterKey, duration));
await product.DisposeAsync();

var report = new ServingReport(
    Describe(), data.Rows.Length, data.Features.Length, $"{WrkRun.Threads} thread, {WrkRun.Connections} connections, {duration.TotalSeconds:0} s per endpoint after a 3 s warm-up",
    productRun, limitRun, peerRun, unlogged, coldStart, batchRows, chunkRows, productBatch, rawBatch, oneThreadBatch);
Console.WriteLine(report.Summary());
var section = report.ToMarkdown();
await File.WriteAllTextAsync(docs, ServingReport.Merge(File.Exists(docs) ? await File.ReadAllTextAsync(docs) : "# Benchmarks\n", section));
Console.WriteLine($"Wrote the serving section of {docs}");
File.Delete(csvPath);

int Option(string name, int fallback)
{
    var i = Array.IndexOf(args, name);
    return i >= 0 && i + 1 < args.Length ? int.Parse(args[i + 1], CultureInfo.InvariantCulture) : fallback;
}

static WrkResult Report(WrkResult r)
{
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{r.Name}: {r.RequestsPerSecond:0} req/s, p50 {r.P50Ms:0.00} ms, p99 {r.P99Ms:0.00} ms, {r.Requests} requests, {r.Errors} errors, load {r.LoadAverage}"));
    return r;
}

static HttpClient Client(Uri baseAddress, string key)
{
    var client = new HttpClient { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(30) };
    client.DefaultRequestHeaders.Add("x-functions-key", key);
    return client;
}

static async Task<HttpStatusCode?> TryGetAsync(HttpClient client, string path)
{
    try
    {
        using var response = await client.GetAsync(path);
        return response.StatusCode;
    }
    catch (HttpRequestException)
    {
        return null;
    }
}

static async Task<HttpStatusCode?> TryPostAsync(HttpClient client, string path, string json)
{
    try
    {
        using var response = await client.PostAsync(path, new StringContent(json, Encoding.UTF8, "application/json"));
        return response.StatusCode;
    }
    catch (HttpRequestException)
    {
        return null;
    }
}

static async Task WaitUntilAsync(ProductProcess product, Func<Task<bool>> condition, TimeSpan timeout, string what)
{
    var deadline = DateTime.UtcNow + timeout;
    while (!await condition())
    {
        product.EnsureRunning();
        if (DateTime.UtcNow > deadline)
        {
            throw new TimeoutException($"Timed out waiting for {what}.");
        }

        await Task.Delay(20);
    }
}

static async Task RunPythonAsync(string script, params string[] arguments)
{
    using var process = Process.Start(new ProcessStartInfo("/usr/bin/python3", [script, .. arguments]) { RedirectStandardError = true })
        ?? throw new InvalidOperationException("/usr/bin/python3 did not start");
    var errors = await process.StandardError.ReadToEndAsync();
    await process.WaitForExitAsync();
    if (process.ExitCode != 0)
    {
        throw new InvalidOperationException($"{script} failed (python3-sklearn installed?): {errors}");
    }
}

static string Describe()
{
    var os = File.Exists("/etc/os-release")
        ? File.ReadLines("/etc/os-release").FirstOrDefault(l => l.StartsWith("PRETTY_NAME=", StringComparison.Ordinal))?.Split('=')[1].Trim('"')
        : null;
    return string.Create(CultureInfo.InvariantCulture, $"{Environment.ProcessorCount} cores, {os ?? Environment.OSVersion.ToString()}, load average {WrkRun.LoadAverage()} at the end of the run, {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC");
}

static string FindRoot()
{
    for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
    {
        if (File.Exists(Path.Combine(dir.FullName, "Serverless.sln")))
        {
            return dir.FullName;
        }
    }

    throw new InvalidOperationException("Cannot find the repository root (Serverless.sln).");
}
