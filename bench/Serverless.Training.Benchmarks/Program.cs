using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Serverless.Training.Benchmarks;

// Usage: Serverless.Training.Benchmarks [--rows N] [--docs path/to/benchmarks.md] [--generate-only]
// One run: the scikit-learn script (/usr/bin/python3), the product (upload to production), bare ML.NET, on the same CSV.
// Each side runs in a process of its own (--side bare|pipeline --csv file), so each peak working set is its own.
const int Features = 20;
const int Seed = 42;
var json = new JsonSerializerOptions(JsonSerializerDefaults.Web);
string? Arg(string name) => args.SkipWhile(a => a != name).Skip(1).FirstOrDefault();

if (Arg("--side") is { } side)
{
    var csv = Arg("--csv") ?? throw new ArgumentException("--csv is required with --side.");
    var measured = side == "bare"
        ? BareMlNetRun.Run(csv, Features, Seed)
        : await PipelineRun.RunAsync(csv, CancellationToken.None);
    Console.WriteLine("RESULT " + JsonSerializer.Serialize(measured, json));
    return 0;
}

var rows = int.Parse(Arg("--rows") ?? "1000000", CultureInfo.InvariantCulture);
var docs = Arg("--docs") ?? FindDocs();
var data = Path.Combine(Path.GetTempPath(), $"training-bench-{rows}x{Features}-seed{Seed}.csv");
if (!File.Exists(data))
{
    Console.WriteLine($"Generating {data} ...");
    await SyntheticDataset.WriteCsvAsync(data + ".tmp", rows, Features, Seed);
    File.Move(data + ".tmp", data, overwrite: true);
}

if (args.Contains("--generate-only"))
{
    Console.WriteLine(data);
    return 0;
}

var loadBefore = LoadAverage();
var sklearn = await SklearnRun.RunAsync(data, Seed, json);
Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"scikit-learn script: {sklearn.Seconds:F1} s, peak {sklearn.PeakWorkingSetBytes / 1048576} MB, AUC {sklearn.Auc:F4}"));
var pipeline = await MeasureInChildAsync("pipeline");
Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"pipeline: {pipeline.Seconds:F1} s, peak {pipeline.PeakWorkingSetBytes / 1048576} MB, AUC {pipeline.Auc:F4}; ratio to scikit-learn {pipeline.Seconds / sklearn.Seconds:F2}"));
foreach (var step in pipeline.Steps)
{
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {(step.IsPhase ? "  " : string.Empty)}{step.Name,-60} {step.Seconds,8:F2} s"));
}

var bare = await MeasureInChildAsync("bare");
Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"bare ML.NET: {bare.Seconds:F1} s, peak {bare.PeakWorkingSetBytes / 1048576} MB, AUC {bare.Auc:F4}"));
var loadAfter = LoadAverage();
Console.WriteLine($"load average: {loadBefore} at the start, {loadAfter} at the end");

await TrainingBenchmarkReport.WriteAsync(docs, TrainingBenchmarkReport.Render(new TrainingBenchmarkRun(rows, Features, Seed, loadBefore, loadAfter), pipeline, sklearn, bare));
Console.WriteLine($"Wrote the training section of {docs}");
return 0;

static string LoadAverage() =>
    File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "unknown";

async Task<BenchmarkMeasurement> MeasureInChildAsync(string which)
{
    var start = new ProcessStartInfo(Environment.ProcessPath!) { RedirectStandardOutput = true, UseShellExecute = false };
    if (Path.GetFileNameWithoutExtension(Environment.ProcessPath!) == "dotnet")
    {
        start.ArgumentList.Add(typeof(SyntheticDataset).Assembly.Location);
    }

    foreach (var a in new[] { "--side", which, "--csv", data })
    {
        start.ArgumentList.Add(a);
    }

    using var child = Process.Start(start)!;
    BenchmarkMeasurement? result = null;
    while (await child.StandardOutput.ReadLineAsync() is { } line)
    {
        if (line.StartsWith("RESULT ", StringComparison.Ordinal))
        {
            result = JsonSerializer.Deserialize<BenchmarkMeasurement>(line["RESULT ".Length..], json);
        }
    }

    await child.WaitForExitAsync();
    return result ?? throw new InvalidOperationException($"The {which} side ended with exit code {child.ExitCode} and no result.");
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

    throw new InvalidOperationException("Run from inside the repository or pass --docs.");
}
