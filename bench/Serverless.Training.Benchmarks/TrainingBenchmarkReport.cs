using System.Globalization;
using System.Text;

namespace Serverless.Training.Benchmarks;

/// <summary>Writes the <c>training</c> section of docs/benchmarks.md between its markers (replacing an earlier one).</summary>
public static class TrainingBenchmarkReport
{
    private const string Begin = "<!-- training:begin -->";
    private const string End = "<!-- training:end -->";

    public static string Render(int rows, int features, int seed, BenchmarkMeasurement pipeline, BenchmarkMeasurement bare)
    {
        var c = CultureInfo.InvariantCulture;
        var ratio = pipeline.Seconds / bare.Seconds;
        var text = new StringBuilder();
        text.AppendLine(Begin);
        text.AppendLine("## Training: upload to production model vs bare ML.NET");
        text.AppendLine();
        text.AppendLine(c, $"`dotnet run -c Release --project bench/Serverless.Training.Benchmarks` ({DateTime.UtcNow:yyyy-MM-dd}, {Environment.ProcessorCount} cores, {Environment.OSVersion}).");
        text.AppendLine(c, $"Data: {rows:N0} rows x {features} numeric features, seed {seed}, binary label from a fixed linear function plus noise ({SizeOf(rows, features)} CSV).");
        text.AppendLine("Both train LightGBM with the same parameters (31 leaves, learning rate 0.1, 100 trees, 20 rows per leaf, one thread) and evaluate on a held-out 20 %.");
        text.AppendLine("The pipeline side is the whole product on the real host (Kestrel, durable engine, Azurite on disk): time from the start of the");
        text.AppendLine("upload to `datasets/bench/` until alias `production` points at the model, which includes ingest (hash, snapshot, validation,");
        text.AppendLine("profile), the seeded split, training, ONNX export and the parity check, evaluation, registration and promotion.");
        text.AppendLine("Bare ML.NET reads the same CSV, trains and evaluates in one process. Peak memory is each process's peak working set");
        text.AppendLine("(the host process, with Azurite a separate process not counted; the bare process).");
        text.AppendLine();
        text.AppendLine("| | time (s) | peak working set (MB) | test AUC | test accuracy |");
        text.AppendLine("|---|---:|---:|---:|---:|");
        text.AppendLine(c, $"| pipeline (upload to production) | {pipeline.Seconds:F1} | {pipeline.PeakWorkingSetBytes / 1048576.0:F0} | {pipeline.Auc:F4} | {pipeline.Accuracy:F4} |");
        text.AppendLine(c, $"| bare ML.NET (load, train, evaluate) | {bare.Seconds:F1} | {bare.PeakWorkingSetBytes / 1048576.0:F0} | {bare.Auc:F4} | {bare.Accuracy:F4} |");
        text.AppendLine();
        text.AppendLine(c, $"Ratio pipeline / bare: **{ratio:F2}** (goal at most 1.5: {(ratio <= 1.5 ? "met" : "not met")}).");
        text.AppendLine();
        text.AppendLine("Where the pipeline's time goes (steps from the run report; bare phases for comparison):");
        text.AppendLine();
        text.AppendLine("| pipeline step | s | | bare phase | s |");
        text.AppendLine("|---|---:|---|---|---:|");
        for (var i = 0; i < Math.Max(pipeline.Steps.Count, bare.Steps.Count); i++)
        {
            var p = i < pipeline.Steps.Count ? pipeline.Steps[i] : null;
            var b = i < bare.Steps.Count ? bare.Steps[i] : null;
            text.AppendLine(c, $"| {p?.Name} | {p?.Seconds.ToString("F2", c)} | | {b?.Name} | {b?.Seconds.ToString("F2", c)} |");
        }

        text.AppendLine(End);
        return text.ToString();
    }

    public static async Task WriteAsync(string docsPath, string section)
    {
        var existing = File.Exists(docsPath) ? await File.ReadAllTextAsync(docsPath).ConfigureAwait(false) : "# Benchmarks\n";
        var begin = existing.IndexOf(Begin, StringComparison.Ordinal);
        var end = existing.IndexOf(End, StringComparison.Ordinal);
        var updated = begin >= 0 && end > begin
            ? existing[..begin] + section.TrimEnd('\n') + existing[(end + End.Length)..]
            : existing.TrimEnd('\n') + "\n\n" + section;
        await File.WriteAllTextAsync(docsPath, updated).ConfigureAwait(false);
    }

    private static string SizeOf(int rows, int features) => string.Create(CultureInfo.InvariantCulture, $"about {rows * ((features * 8L) + 2) / 1048576.0:F0} MB");
}
