using System.Globalization;
using System.Reflection;
using System.Text;
using System.Text.Json;
using Serverless.Domain.Models;
using Serverless.Registry;

namespace Serverless.Orchestrations.Training;

/// <summary>A model card (Markdown for people, JSON for tools) written with every registered version.</summary>
public sealed record ModelCard(
    string Model,
    ModelSignature Signature,
    ModelLineage Lineage,
    DatasetSummary Dataset,
    CandidateOutcome Candidate,
    EvaluationOutcome Evaluation)
{
    public static string CodeVersion { get; } =
        typeof(ModelCard).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "unknown";

    public string ToJson() => JsonSerializer.Serialize(this, RegistryJson.Options);

    public string ToMarkdown()
    {
        var md = new StringBuilder();
        var inv = CultureInfo.InvariantCulture;
        md.AppendLine(inv, $"# Model card: {Model}");
        md.AppendLine();
        md.AppendLine("## Model");
        md.AppendLine(inv, $"- Task: {Signature.Task.ToString().ToLowerInvariant()}, label `{Signature.Label}`");
        if (Signature.Classes is { Count: > 0 } classes)
        {
            md.AppendLine(inv, $"- Classes: {string.Join(", ", classes.Select(c => $"`{c}`"))}");
        }

        md.AppendLine(inv, $"- Trainer: {Candidate.Trainer} ({string.Join(", ", Candidate.Parameters.Select(p => $"{p.Key}={p.Value.ToString(inv)}"))})");
        md.AppendLine(inv, $"- Inputs: {string.Join(", ", Signature.Inputs.Select(i => $"`{i.Name}` ({i.Kind.ToString().ToLowerInvariant()})"))}");
        md.AppendLine("- Format: ONNX, featurization included (one input per raw column); ONNX Runtime matched ML.NET on the test split (parity gate).");
        md.AppendLine();
        md.AppendLine("## Training data");
        md.AppendLine(inv, $"- Dataset version {Dataset.Version} of project `{Lineage.Project}`, SHA-256 `{Dataset.ContentHash}`, from `{Dataset.Source}`");
        md.AppendLine(inv, $"- {Dataset.Rows} rows, {Dataset.Columns} columns; validation: {Dataset.WarningCount} warnings");
        if (Lineage.SplitSizes is { } sizes)
        {
            md.AppendLine(inv, $"- Split (seed {Lineage.Seed}): {string.Join(", ", sizes.Select(s => $"{s.Key} {s.Value}"))}");
        }

        md.AppendLine();
        md.AppendLine("## Evaluation (test split)");
        md.AppendLine("| metric | this version | production |");
        md.AppendLine("|---|---|---|");
        foreach (var (metric, value) in Evaluation.Challenger.OrderBy(m => m.Key, StringComparer.Ordinal))
        {
            var champion = Evaluation.Champion is { } c && c.TryGetValue(metric, out var v) ? v.ToString("0.####", inv) : "-";
            md.AppendLine(inv, $"| {metric} | {value.ToString("0.####", inv)} | {champion} |");
        }

        md.AppendLine();
        md.AppendLine(inv, $"Selected by `{Evaluation.Metric}` ({(Evaluation.HigherIsBetter ? "higher" : "lower")} is better). Production: {(Evaluation.ChampionVersion is int cv ? $"version {cv}" : Evaluation.ChampionSkippedReason ?? "none")}.");
        AppendFeatureImportance(md, inv);
        AppendSlices(md, inv);
        md.AppendLine();
        md.AppendLine("## Gates");
        foreach (var gate in Evaluation.Gates)
        {
            md.AppendLine(inv, $"- {(gate.Passed ? "passed" : "FAILED")}: {gate.Description}");
        }

        md.AppendLine();
        md.AppendLine("## Lineage");
        md.AppendLine(inv, $"- Run `{Lineage.RunId}`, started by {Lineage.Trigger}; code version {Lineage.CodeVersion}");
        return md.ToString();
    }

    private void AppendFeatureImportance(StringBuilder md, CultureInfo inv)
    {
        if (Evaluation.FeatureImportance is not { Count: > 0 } importance)
        {
            return;
        }

        md.AppendLine();
        md.AppendLine("## Feature importance (permutation, test split)");
        md.AppendLine(inv, $"How much {PermutationImportanceMetric()} worsens when a column's values are shuffled; most important first.");
        md.AppendLine();
        md.AppendLine("| rank | feature | importance |");
        md.AppendLine("|---|---|---|");
        for (var i = 0; i < importance.Count; i++)
        {
            md.AppendLine(inv, $"| {i + 1} | `{importance[i].Feature}` | {importance[i].Importance.ToString("0.####", inv)} |");
        }
    }

    private void AppendSlices(StringBuilder md, CultureInfo inv)
    {
        if (Evaluation.Slices is not { Count: > 0 } slices)
        {
            return;
        }

        var metric = Evaluation.Metric;
        md.AppendLine();
        md.AppendLine("## Slices (test split)");
        foreach (var column in slices)
        {
            var measured = column.Values.Where(v => v.Metrics.ContainsKey(metric)).ToList();
            var gap = measured.Count >= 2 ? (measured.Max(v => v.Metrics[metric]) - measured.Min(v => v.Metrics[metric])).ToString("0.####", inv) : "-";
            md.AppendLine();
            md.AppendLine(inv, $"`{column.Column}`: {metric} gap between the best and the worst slice {gap}");
            md.AppendLine();
            md.AppendLine(inv, $"| value | rows | {metric} |");
            md.AppendLine("|---|---|---|");
            foreach (var value in column.Values)
            {
                var shown = value.Metrics.TryGetValue(metric, out var v) ? v.ToString("0.####", inv) : "-";
                md.AppendLine(inv, $"| {value.Value} | {value.Rows} | {shown} |");
            }
        }
    }

    private string PermutationImportanceMetric() => Signature.Task switch
    {
        TaskKind.Binary => "AUC (drop)",
        TaskKind.Multiclass => "log-loss (rise)",
        _ => "RMSE (rise)",
    };
}
