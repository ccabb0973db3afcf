using System.Diagnostics;
using System.Globalization;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Configuration;
using Serverless.DurableTask.AzureStorage;
using Serverless.DurableTask.Benchmarks;
using Serverless.Orchestrations.Training;

// Usage: Serverless.DurableTask.Benchmarks [path to docs/benchmarks.md]
// Settings: host.json extensions.durableTask of the product, with maxQueuePollingInterval lowered to the 100 ms
// that the product's own durable test host uses locally (host.json says 1 s).
var root = FindRepoRoot();
var docs = args.Length > 0 ? args[0] : Path.Combine(root, "docs", "benchmarks.md");
var durableTask = new ConfigurationBuilder().AddJsonFile(Path.Combine(root, "host.json"), optional: false).Build().GetSection("extensions:durableTask");
var pollingInterval = TimeSpan.FromMilliseconds(100);
void Settings(DurableTaskHubOptions options)
{
    durableTask.Bind(options);
    options.StorageProvider.MaxQueuePollingInterval = pollingInterval;
}

const int SequentialActivities = 100;
const int FanOutActivities = 1000;
const int ManyOrchestrations = 200;
const int Candidates = 8;
const int PipelinePairs = 5;
var c = CultureInfo.InvariantCulture;

var loadStart = LoadAverage();
Console.WriteLine($"Load average at start: {loadStart}");
var shown = new DurableTaskHubOptions();
Settings(shown);
var settings = string.Create(c,
    $"host.json `extensions.durableTask` bound as the product binds it: partitionCount {shown.StorageProvider.PartitionCount}, maxConcurrentActivityFunctions {shown.MaxConcurrentActivityFunctions}, " +
    $"maxConcurrentOrchestratorFunctions {shown.MaxConcurrentOrchestratorFunctions}, workItemQueueVisibilityTimeout {shown.StorageProvider.WorkItemQueueVisibilityTimeout}, extendedSessionsEnabled {shown.ExtendedSessionsEnabled.ToString().ToLowerInvariant()}, " +
    $"controlQueueVisibilityTimeout {shown.StorageProvider.ControlQueueVisibilityTimeout} and table partition management (the product's defaults); " +
    $"maxQueuePollingInterval lowered from host.json's 1 s to {shown.StorageProvider.MaxQueuePollingInterval.TotalMilliseconds:0} ms (what the product's durable test host uses locally)");
Console.WriteLine(settings);

var results = new List<BenchmarkResult>
{
    await ScenarioAsync(
        $"Sequential chain of {SequentialActivities} no-op activities", SequentialActivities, 1, TimeSpan.FromSeconds(75),
        Scenarios.Register,
        stack => stack.RunAsync(Scenarios.Sequential, 5),
        async (stack, ct) => [await stack.RunAsync(Scenarios.Sequential, SequentialActivities, cancellation: ct)]),
    await ScenarioAsync(
        $"Fan-out/fan-in of {FanOutActivities} no-op activities", FanOutActivities, 1, TimeSpan.FromSeconds(90),
        Scenarios.Register,
        stack => stack.RunAsync(Scenarios.FanOut, 20),
        async (stack, ct) => [await stack.RunAsync(Scenarios.FanOut, FanOutActivities, cancellation: ct)]),
    await ScenarioAsync(
        $"{ManyOrchestrations} orchestrations of {Scenarios.SmallActivities} activities started at once", ManyOrchestrations * Scenarios.SmallActivities, ManyOrchestrations, TimeSpan.FromSeconds(75),
        Scenarios.Register,
        stack => Task.WhenAll(Enumerable.Range(0, 5).Select(i => stack.RunAsync(Scenarios.Small, i))),
        async (stack, ct) =>
        {
            var ids = await Task.WhenAll(Enumerable.Range(0, ManyOrchestrations).Select(i =>
                stack.Client.ScheduleNewOrchestrationInstanceAsync(Scenarios.Small, i, ct)));
            var done = new List<OrchestrationMetadata>(ids.Length);
            foreach (var id in ids)
            {
                done.Add(await stack.WaitAsync(id, ct));
            }

            return done;
        }),
};

var pipeline = await PipelineOverheadAsync(TimeSpan.FromSeconds(90));

var loadEnd = LoadAverage();
Console.WriteLine();
Console.Write(BenchmarkReport.ToConsole(results, pipeline));
Console.WriteLine($"Load average at start: {loadStart}; at end: {loadEnd}");
var machine = $"{Environment.ProcessorCount} cores, {System.Runtime.InteropServices.RuntimeInformation.OSDescription.Trim()}";
BenchmarkReport.WriteSection(docs, BenchmarkReport.ToMarkdown(results, pipeline, machine, settings, loadStart, loadEnd));
Console.WriteLine($"Wrote {docs}");
return 0;

// One scenario on a fresh task hub on its own Azurite: warm up, then time the measured part, at most `timeBox`.
async Task<BenchmarkResult> ScenarioAsync(
    string name, int activities, int orchestrations, TimeSpan timeBox,
    Action<Microsoft.DurableTask.DurableTaskRegistry> register,
    Func<BenchStack, Task> warmUp,
    Func<BenchStack, CancellationToken, Task<IReadOnlyList<OrchestrationMetadata>>> measured)
{
    Console.WriteLine($"{name}: starting Azurite and a fresh task hub");
    await using var stack = await BenchStack.StartAsync(HubName(name), Settings, register);
    using var cts = new CancellationTokenSource(timeBox);
    try
    {
        await warmUp(stack).WaitAsync(cts.Token);
        using var measuredCts = new CancellationTokenSource(timeBox);
        var start = DateTimeOffset.UtcNow;
        var watch = Stopwatch.StartNew();
        var done = await measured(stack, measuredCts.Token);
        watch.Stop();
        var elapsed = done.Max(m => m.LastUpdatedAt) - start;
        Console.WriteLine(string.Create(c, $"{name}: {elapsed.TotalSeconds:F2} s (client saw {watch.Elapsed.TotalSeconds:F2} s)"));
        return new BenchmarkResult(name, activities, orchestrations, elapsed, watch.Elapsed);
    }
    catch (OperationCanceledException)
    {
        var note = string.Create(c, $"did not finish within its {timeBox.TotalSeconds:0} s time box");
        Console.WriteLine($"{name}: {note}");
        return new BenchmarkResult(name, activities, orchestrations, null, null, note);
    }
}

// The training pipeline with no-op activities against the bare orchestrator of the same shape, alternately.
async Task<PipelineComparison> PipelineOverheadAsync(TimeSpan timeBox)
{
    var noops = new PipelineNoops(Candidates);
    Console.WriteLine("Training pipeline vs bare DTFx: starting Azurite and a fresh task hub");
    await using var stack = await BenchStack.StartAsync(HubName("pipeline"), Settings, registry =>
    {
        Scenarios.Register(registry);
        noops.Register(registry);
    });
    var pipelineTimes = new List<TimeSpan>();
    var bareTimes = new List<TimeSpan>();
    using var cts = new CancellationTokenSource(timeBox);
    var runs = 0;

    async Task<TimeSpan> PipelineRunAsync()
    {
        var project = "bench";
        var start = DateTimeOffset.UtcNow;
        var done = await stack.RunAsync(TrainingPipeline.Name, PipelineNoops.Request(project), TrainingRunIds.Prefix(project) + Guid.NewGuid().ToString("N")[..12], cts.Token);
        var report = done.ReadOutputAs<RunReport>();
        if (report?.Outcome != RunOutcomes.Promoted)
        {
            throw new InvalidOperationException($"The no-op training run ended {report?.Outcome}: {report?.FailureReason}");
        }

        runs++;
        return done.LastUpdatedAt - start;
    }

    async Task<TimeSpan> BareRunAsync()
    {
        var start = DateTimeOffset.UtcNow;
        var done = await stack.RunAsync(Scenarios.BarePipeline, Candidates, cancellation: cts.Token);
        return done.LastUpdatedAt - start;
    }

    try
    {
        // Warm-up: one of each.
        await PipelineRunAsync();
        await BareRunAsync();
        for (var pair = 0; pair < PipelinePairs; pair++)
        {
            if (pair % 2 == 0)
            {
                pipelineTimes.Add(await PipelineRunAsync());
                bareTimes.Add(await BareRunAsync());
            }
            else
            {
                bareTimes.Add(await BareRunAsync());
                pipelineTimes.Add(await PipelineRunAsync());
            }

            Console.WriteLine(string.Create(c, $"  pair {pair + 1}: pipeline {pipelineTimes[^1].TotalSeconds:F2} s, bare {bareTimes[^1].TotalSeconds:F2} s"));
        }
    }
    catch (OperationCanceledException)
    {
        var note = string.Create(c, $"Stopped by its {timeBox.TotalSeconds:0} s time box after {pipelineTimes.Count} pipeline and {bareTimes.Count} bare runs.");
        Console.WriteLine(note);
        return new PipelineComparison(Candidates, noops.ActivitiesPerRun, pipelineTimes, bareTimes, note);
    }

    // The pipeline made exactly the calls the bare orchestrator makes (no retries, no extra steps).
    if (noops.Calls != (long)runs * noops.ActivitiesPerRun)
    {
        throw new InvalidOperationException($"The no-op pipeline made {noops.Calls} activity calls in {runs} runs; expected {noops.ActivitiesPerRun} per run.");
    }

    return new PipelineComparison(Candidates, noops.ActivitiesPerRun, pipelineTimes, bareTimes);
}

static string HubName(string scenario) =>
    "bench" + new string([.. scenario.Where(char.IsAsciiLetterOrDigit).Take(12)]) + Guid.NewGuid().ToString("N")[..6];

static string LoadAverage() =>
    File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "n/a";

static string FindRepoRoot()
{
    foreach (var start in new[] { AppContext.BaseDirectory, Directory.GetCurrentDirectory() })
    {
        for (var directory = new DirectoryInfo(start); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Directory.Build.props")) && File.Exists(Path.Combine(directory.FullName, "host.json")))
            {
                return directory.FullName;
            }
        }
    }

    throw new InvalidOperationException("Could not find the repository root (Directory.Build.props and host.json).");
}
