using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Serverless.Domain.Models;
using Serverless.Quality.Benchmarks;

// Usage: Serverless.Quality.Benchmarks [--out dir] [--docs path/to/benchmarks.md] [--python /usr/bin/python3] [--datasets a,b]
// --datasets runs only the named datasets (for iterating); the docs table is written only when every dataset ran.
// Writes each dataset's split (row indexes) to {out}/{name}.split.json; sklearn_baseline.py reads the same rows.
string? Arg(string name) => args.SkipWhile(a => a != name).Skip(1).FirstOrDefault();
var root = FindRoot();
var output = Arg("--out") ?? Path.Combine(Path.GetTempPath(), "quality-bench");
var docs = Arg("--docs") ?? Path.Combine(root, "docs", "benchmarks.md");
var python = Arg("--python") ?? "/usr/bin/python3";
var script = Path.Combine(AppContext.BaseDirectory, "sklearn_baseline.py");
Directory.CreateDirectory(output);
await RunAsync(python, $"{script} export {output}");

var shared = Path.GetFullPath(Path.Combine(root, "..", "shared", "data"));
QualityDataset[] all =
[
    new("wine", Path.Combine(shared, "wine.csv"), "cultivar"),
    new("pima2", Path.Combine(shared, "pima2.csv"), "diabetes"),
    new("servo", Path.Combine(shared, "servo.csv"), "Class"),
    new("diabetes", Path.Combine(shared, "diabetes.csv"), "progression"),
    new("breast_cancer", Path.Combine(output, "breast_cancer.csv"), "diagnosis"),
    new("iris", Path.Combine(output, "iris.csv"), "species"),
    new("friedman1", Path.Combine(output, "friedman1.csv"), "target"),
];
var only = Arg("--datasets")?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
var unknown = only?.Where(n => all.All(d => d.Name != n)).ToList();
if (unknown is { Count: > 0 })
{
    Console.Error.WriteLine($"--datasets: unknown dataset(s) {string.Join(", ", unknown)}; expected some of {string.Join(", ", all.Select(d => d.Name))}.");
    return 2;
}

var datasets = only is null ? all : all.Where(d => only.Contains(d.Name)).ToArray();

var results = new List<QualityResult>();
foreach (var dataset in datasets)
{
    var copy = Path.Combine(output, dataset.Name + ".csv");
    if (!string.Equals(Path.GetFullPath(dataset.Path), Path.GetFullPath(copy), StringComparison.Ordinal))
    {
        File.Copy(dataset.Path, copy, overwrite: true);
    }

    var (result, _, split, classes, task) = await QualityRun.RunAsync(dataset);
    var splitJson = new JsonObject
    {
        ["label"] = dataset.Label,
        ["task"] = task.ToString().ToLowerInvariant(),
        ["positive"] = task == TaskKind.Binary ? classes[1] : null,
        ["fit"] = new JsonArray([.. split.Train.Concat(split.Validation).Order().Select(i => (JsonNode)i)]),
        ["test"] = new JsonArray([.. split.Test.Select(i => (JsonNode)i)]),
    };
    await File.WriteAllTextAsync(Path.Combine(output, dataset.Name + ".split.json"), splitJson.ToJsonString());
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{result.Dataset}: product {result.Metric} {result.Product:F4} (before {result.Before:F4}), {result.Candidates} candidates, {result.Seconds:F1} s, {result.Winner}"));
    results.Add(result);
}

await RunAsync(python, $"{script} score {output} {string.Join(" ", datasets.Select(d => d.Name))}");
var table = new StringBuilder();
table.AppendLine("## Model quality: zero-config search vs tuned scikit-learn HistGradientBoosting")
    .AppendLine()
    .AppendLine(string.Create(CultureInfo.InvariantCulture, $"Measured {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC, load average {LoadAverage()}, with `dotnet run -c Release --project bench/Serverless.Quality.Benchmarks`."))
    .AppendLine("Same split for both sides: the product's own (test 20%, validation 10%, seed 42, stratified for classification; row indexes in `{out}/{name}.split.json`).")
    .AppendLine("Product: the spec defaults (search `auto`, default size) on train + validation, the promoted candidate's test metric. Before: one default candidate per trainer fitted on train, picked on validation (the pipeline before issue 13).")
    .AppendLine("scikit-learn 1.2.1 (Debian): HistGradientBoosting tuned by 5-fold `GridSearchCV` on train + validation over learning_rate {0.05, 0.1}, max_leaf_nodes {7, 31}, min_samples_leaf {5, 20}, l2_regularization {0, 1} (16 settings), the number of trees (at most 500) chosen by early stopping on 10 % of each fit's rows. Metrics: AUC (binary), accuracy (multiclass), R² (regression).")
    .AppendLine()
    .AppendLine("| dataset | rows | task | metric | before | product | sklearn HGB tuned | product − sklearn | within 0.02 | candidates | search s | winner |")
    .AppendLine("|---|---:|---|---|---:|---:|---:|---:|---|---:|---:|---|");
foreach (var r in results)
{
    var sklearn = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(output, r.Dataset + ".sklearn.json")))!;
    var baseline = sklearn["value"]!.GetValue<double>();
    var gap = r.Product - baseline;
    table.AppendLine(string.Create(CultureInfo.InvariantCulture,
        $"| {r.Dataset} | {r.Rows} | {r.Task} | {r.Metric} | {r.Before:F4} | {r.Product:F4} | {baseline:F4} | {gap:+0.0000;-0.0000} | {(gap >= -0.02 ? "yes" : "**no**")} | {r.Candidates} | {r.Seconds:F1} | `{r.Winner}` |"));
}

Console.WriteLine(table);
if (datasets.Length == all.Length)
{
    await WriteSectionAsync(docs, "quality", table.ToString());
}
else
{
    Console.WriteLine($"Only {datasets.Length} of {all.Length} datasets ran: {docs} left unchanged.");
}
return 0;

static async Task RunAsync(string file, string arguments)
{
    using var process = Process.Start(new ProcessStartInfo(file, arguments) { UseShellExecute = false }) ?? throw new InvalidOperationException($"Could not start {file}.");
    await process.WaitForExitAsync();
    if (process.ExitCode != 0)
    {
        throw new InvalidOperationException($"{file} {arguments} exited with {process.ExitCode}.");
    }
}

static async Task WriteSectionAsync(string path, string marker, string section)
{
    var begin = $"<!-- {marker}:begin -->";
    var end = $"<!-- {marker}:end -->";
    var existing = File.Exists(path) ? await File.ReadAllTextAsync(path) : "# Benchmarks\n";
    var block = $"{begin}\n{section.TrimEnd()}\n{end}";
    var start = existing.IndexOf(begin, StringComparison.Ordinal);
    var stop = existing.IndexOf(end, StringComparison.Ordinal);
    var updated = start >= 0 && stop > start
        ? existing[..start] + block + existing[(stop + end.Length)..]
        : existing.TrimEnd() + "\n\n" + block + "\n";
    await File.WriteAllTextAsync(path, updated);
}

static string LoadAverage() =>
    File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Split(' ')[0] : "n/a";

static string FindRoot()
{
    for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
    {
        if (File.Exists(Path.Combine(dir.FullName, "Serverless.sln")))
        {
            return dir.FullName;
        }
    }

    throw new InvalidOperationException("Run from inside the repository.");
}
