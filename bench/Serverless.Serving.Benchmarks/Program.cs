using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Serverless.Onnx;
using Serverless.Serving.Benchmarks;
using Serverless.Serving.PredictionLogging;
using Serverless.Storage;
using Serverless.Storage.Azure.Azurite;
using Serverless.Testing.Host;

// Usage: Serverless.Serving.Benchmarks [path to docs/benchmarks.md] [--profile-only] (run.sh installs wrk, python3-flask, python3-sklearn).
var profileOnly = args.Contains("--profile-only");
args = [.. args.Where(a => a != "--profile-only")];
var docs = args.Length > 0 ? args[0] : FindDocs();
var duration = TimeSpan.FromSeconds(8);
const int Connections = 16;
const int TrainingRows = 5000;
const int BatchRows = 5000;
var data = BenchmarkDataset.Generate(TrainingRows, seed: 11);
var csvPath = Path.Combine(Path.GetTempPath(), $"serving-bench-{Guid.NewGuid():N}.csv");
await File.WriteAllTextAsync(csvPath, data.ToCsv());

var location = Path.Combine(Path.GetTempPath(), "serving-bench-" + Guid.NewGuid().ToString("N")[..8]);
Directory.CreateDirectory(location);
await using var azurite = await AzuriteServer.StartAsync(new AzuriteOptions { Location = location, InMemory = true }, NullLogger.Instance);
await using var host = await FunctionsTestHost.StartAsync(new FunctionsTestHostOptions
{
    StorageConnectionString = azurite.ConnectionString,
    IncludeProduct = true,
    FunctionClasses = [typeof(ConstantFunctions)],
});
var admin = host.CreateClient();

// Train and promote a model of the generated data through the product itself.
Console.WriteLine("Training the benchmark model through the product...");
var blobs = host.Services.GetRequiredService<IBlobStore>();
var datasets = host.Options.DatasetsContainer;
await blobs.CreateContainerIfNotExistsAsync(datasets);
await blobs.UploadTextAsync(datasets, "bench/project.json", """{ "label": "label", "trainers": ["lightgbm"] }""");
await WaitUntilAsync(async () => (await admin.GetAsync("api/projects/bench")).StatusCode == HttpStatusCode.OK, TimeSpan.FromSeconds(60));
await blobs.UploadTextAsync(datasets, "bench/data.csv", data.ToCsv());
await WaitUntilAsync(async () => (await admin.GetAsync("api/models/bench")).StatusCode == HttpStatusCode.OK
    && (await admin.GetFromJsonAsync<JsonElement>("api/models/bench")).GetProperty("aliases").TryGetProperty("production", out _), TimeSpan.FromMinutes(5));
var onnx = await admin.GetByteArrayAsync("api/models/bench/versions/1/onnx");

var body = data.SingleRowJson(0);
var warm = await admin.PostAsync("api/models/bench/predict", new StringContent(body, Encoding.UTF8, "application/json"));
Console.WriteLine($"predict warm-up: {(int)warm.StatusCode} {await warm.Content.ReadAsStringAsync()}");

// Where the time of one request goes, in-process (no wrk), before the load runs.
Console.WriteLine("Stage profile (in-process, one thread):");
var stages = await StageProfile.RunAsync(host.Services, admin, "bench", body, data.ToCsv(withLabel: false, take: BatchRows), host.MasterKey);
if (profileOnly)
{
    Console.WriteLine("ONNX Runtime session settings (in-process, one thread):");
    SessionOptionsProfile.Run(await admin.GetByteArrayAsync("api/models/bench/versions/1/onnx"), data, BatchRows);
    return;
}

// HTTP: predict and the constant endpoint on the same host, then Flask + scikit-learn.
var predict = await WrkRun.RunAsync("Product `POST /api/models/{name}/predict`", new Uri(host.BaseAddress, "api/models/bench/predict"), body, "application/json", host.MasterKey, duration, Connections);
Report(predict);
// Diagnostic: the same load with the prediction log's sampling at 0, which prices the log writer (and Azurite, on the same cores).
var logOptions = host.Services.GetRequiredService<IOptions<PredictionLogOptions>>().Value;
var sampling = logOptions.SamplingRate;
logOptions.SamplingRate = 0;
var unlogged = await WrkRun.RunAsync("Product predict, prediction log sampling 0 (diagnostic only)", new Uri(host.BaseAddress, "api/models/bench/predict"), body, "application/json", host.MasterKey, duration, Connections);
logOptions.SamplingRate = sampling;
Report(unlogged);
var constant = await WrkRun.RunAsync("Constant JSON function, same host", new Uri(host.BaseAddress, "api/bench/constant"), body, "application/json", host.MasterKey, duration, Connections);
Report(constant);
WrkResult flask;
await using (var baseline = await FlaskBaseline.StartAsync(csvPath, BenchmarkDataset.Label))
{
    flask = await WrkRun.RunAsync("Flask + scikit-learn `POST /predict`", new Uri(baseline.BaseAddress, "predict"), body, "application/json", null, duration, Connections);
    Report(flask);
}

// In-process ONNX Runtime on the same model bytes.
using var model = OnnxModel.Load(onnx);
var scores = InProcessScoring.SingleRowScoresPerSecond(model, data, TimeSpan.FromSeconds(3));
Console.WriteLine($"in-process single-row Score: {scores:0} calls/s");

// Batch: the product's predict with a CSV body vs raw ONNX Runtime runs of the same rows.
var batchCsv = data.ToCsv(withLabel: false, take: BatchRows);
using (var first = await admin.PostAsync("api/models/bench/predict", new StringContent(batchCsv, Encoding.UTF8, "text/csv")))
{
    if (first.StatusCode != HttpStatusCode.OK)
    {
        throw new InvalidOperationException($"batch predict answered {(int)first.StatusCode}: {await first.Content.ReadAsStringAsync()}");
    }
}

const int BatchRequests = 20;
var clock = Stopwatch.StartNew();
for (var i = 0; i < BatchRequests; i++)
{
    using var response = await admin.PostAsync("api/models/bench/predict", new StringContent(batchCsv, Encoding.UTF8, "text/csv"));
    response.EnsureSuccessStatusCode();
    _ = await response.Content.ReadAsByteArrayAsync();
}

var productBatch = (double)BatchRows * BatchRequests / clock.Elapsed.TotalSeconds;
var rawBatch = InProcessScoring.RawBatchRowsPerSecond(model, data, BatchRows, 20);
Console.WriteLine($"batch rows/s: product {productBatch:0}, raw ONNX Runtime {rawBatch:0}");

var report = new ServingReport(
    Describe(), TrainingRows, $"2 threads, {Connections} connections, {duration.TotalSeconds:0} s per endpoint",
    predict, constant, flask, scores, BatchRows, productBatch, rawBatch, StageProfile.ToMarkdown(stages), unlogged);
var section = report.ToMarkdown();
Console.WriteLine(section);
await File.WriteAllTextAsync(docs, ServingReport.Merge(File.Exists(docs) ? await File.ReadAllTextAsync(docs) : "# Benchmarks\n", section));
Console.WriteLine($"Wrote the serving section of {docs}");
File.Delete(csvPath);

static void Report(WrkResult r) =>
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{r.Name}: {r.RequestsPerSecond:0} req/s, p50 {r.P50Ms:0.00} ms, p99 {r.P99Ms:0.00} ms, {r.Requests} requests, {r.Errors} errors"));

static async Task WaitUntilAsync(Func<Task<bool>> condition, TimeSpan timeout)
{
    var deadline = DateTime.UtcNow + timeout;
    while (!await condition())
    {
        if (DateTime.UtcNow > deadline)
        {
            throw new TimeoutException("The benchmark model was not promoted in time.");
        }

        await Task.Delay(250);
    }
}

static string Describe()
{
    var os = File.Exists("/etc/os-release")
        ? File.ReadLines("/etc/os-release").FirstOrDefault(l => l.StartsWith("PRETTY_NAME=", StringComparison.Ordinal))?.Split('=')[1].Trim('"')
        : null;
    var load = File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Split(' ')[0] : "?";
    return string.Create(CultureInfo.InvariantCulture, $"{Environment.ProcessorCount} cores, {os ?? Environment.OSVersion.ToString()}, load average {load} at the end of the run, {DateTime.UtcNow:yyyy-MM-dd}");
}

static string FindDocs()
{
    for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
    {
        if (File.Exists(Path.Combine(dir.FullName, "Serverless.sln")))
        {
            return Path.Combine(dir.FullName, "docs", "benchmarks.md");
        }
    }

    throw new InvalidOperationException("Cannot find the repository root (Serverless.sln); pass the path of docs/benchmarks.md.");
}
