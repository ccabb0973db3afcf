using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Serverless.Durable;
using Serverless.Durable.Benchmarks;
using Serverless.Storage;
using Serverless.Storage.Azure;
using Serverless.Storage.Azure.Azurite;

// Usage: Serverless.Durable.Benchmarks [path to docs/benchmarks.md]
var docs = args.Length > 0 ? args[0] : FindDocs();
var location = Path.Combine(Path.GetTempPath(), "durable-bench-" + Guid.NewGuid().ToString("N")[..8]);
Directory.CreateDirectory(location);
await using var azurite = await AzuriteServer.StartAsync(new AzuriteOptions { Location = location, InMemory = true }, NullLogger.Instance);

var counter = new StorageCallCounter();
var builder = Host.CreateApplicationBuilder();
builder.Logging.ClearProviders();
builder.Services.AddAzureStorage(_ => new StorageConnectionOptions { ConnectionString = azurite.ConnectionString });
builder.Services.AddSingleton<IQueueStore>(sp => new CountingQueueStore(sp.GetRequiredService<AzureQueueStore>(), counter));
builder.Services.AddSingleton<ITableStore>(sp => new CountingTableStore(sp.GetRequiredService<AzureTableStore>(), counter));
builder.Services.AddSingleton<AzureQueueStore>().AddSingleton<AzureTableStore>();
builder.Services.AddDurableTask(
    options =>
    {
        options.HubName = "bench";
        options.MaxConcurrentActivityFunctions = 32;
        options.MaxConcurrentOrchestratorFunctions = 16;
        options.MaxQueuePollingInterval = TimeSpan.FromMilliseconds(100);
    },
    Scenarios.Register);
using var host = builder.Build();
await host.StartAsync();
var client = host.Services.GetRequiredService<DurableTaskClient>();

async Task<BenchmarkResult> MeasureAsync(string scenario, int activities, int orchestrations, Func<Task> run)
{
    counter.Reset();
    var watch = Stopwatch.StartNew();
    await run();
    watch.Stop();
    var result = new BenchmarkResult(scenario, activities, orchestrations, watch.Elapsed, counter.Snapshot());
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"{scenario,-40} {watch.Elapsed.TotalSeconds,8:F2} s  {result.ActivitiesPerSecond,8:F0} activities/s  {result.OrchestrationsPerSecond,8:F1} orchestrations/s  {result.CallsPerActivity,5:F1} calls/activity"));
    return result;
}

async Task RunOneAsync(string name, int input)
{
    var id = await client.ScheduleNewOrchestrationInstanceAsync(name, input);
    var done = await client.WaitForInstanceCompletionAsync(id);
    if (done.RuntimeStatus != OrchestrationRuntimeStatus.Completed)
    {
        throw new InvalidOperationException($"{name} ended {done.RuntimeStatus}: {done.FailureDetails}");
    }
}

// Warm-up: JIT, connections, queue creation, partition leases.
await RunOneAsync(Scenarios.Sequential, 5);
await RunOneAsync(Scenarios.FanOut, 20);

// Baseline: raw storage round trips per second on this machine (queue send, receive, delete at 16 in parallel).
var queues = host.Services.GetRequiredService<AzureQueueStore>();
await queues.CreateQueueIfNotExistsAsync("bench-baseline");
var baselineWatch = Stopwatch.StartNew();
await Parallel.ForEachAsync(Enumerable.Range(0, 300), new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (i, ct) =>
{
    await queues.SendAsync("bench-baseline", "x", null, ct);
    foreach (var m in await queues.ReceiveAsync("bench-baseline", 1, TimeSpan.FromMinutes(1), ct))
    {
        await queues.DeleteAsync("bench-baseline", m.MessageId, m.PopReceipt, ct);
    }
});
baselineWatch.Stop();
var rawCallsPerSecond = 900 / baselineWatch.Elapsed.TotalSeconds;
Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Baseline: {rawCallsPerSecond:F0} raw queue calls/s"));

var results = new List<BenchmarkResult>
{
    await MeasureAsync("Sequential chain of 100 activities", 100, 1, () => RunOneAsync(Scenarios.Sequential, 100)),
    await MeasureAsync("Fan-out/fan-in of 1000 activities", 1000, 1, () => RunOneAsync(Scenarios.FanOut, 1000)),
    await MeasureAsync("100 concurrent orchestrations (1 activity each)", 100, 100, () =>
        Task.WhenAll(Enumerable.Range(0, 100).Select(i => RunOneAsync(Scenarios.Single, i)))),
};

await host.StopAsync();
var load = File.Exists("/proc/loadavg") ? $", load average {File.ReadAllText("/proc/loadavg").Split(' ')[0]} during the run (the machine is shared with other builds and tests, so Azurite is CPU-starved)" : string.Empty;
var machine = $"{Environment.ProcessorCount} cores, {System.Runtime.InteropServices.RuntimeInformation.OSDescription.Trim()}{load}";
BenchmarkReport.WriteSection(docs, BenchmarkReport.ToMarkdown(results, machine, rawCallsPerSecond));
Console.WriteLine($"Wrote {docs}");
try
{
    Directory.Delete(location, recursive: true);
}
catch (IOException)
{
}

return 0;

static string FindDocs()
{
    var directory = new DirectoryInfo(AppContext.BaseDirectory);
    while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "Directory.Build.props")))
    {
        directory = directory.Parent;
    }

    return Path.Combine(directory?.FullName ?? Directory.GetCurrentDirectory(), "docs", "benchmarks.md");
}
