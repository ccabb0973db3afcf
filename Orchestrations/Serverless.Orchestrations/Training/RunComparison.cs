using System.Text.Json;
using System.Text.Json.Nodes;

namespace Serverless.Orchestrations.Training;

/// <summary>
/// Runs side by side (<c>GET /api/runs/compare?ids=a,b,c</c>): each run's dataset version, outcome and best candidate
/// (trainer, parameters, validation metrics, and the evaluated test metrics), and the fields of their spec snapshots
/// that differ (a JSON path and each run's value).
/// </summary>
public sealed record RunComparison(IReadOnlyList<ComparedRun> Runs, IReadOnlyList<SpecDifference> SpecDifferences)
{
    public static RunComparison Of(IReadOnlyList<(RunView Run, string? Spec)> runs)
    {
        ArgumentNullException.ThrowIfNull(runs);
        var compared = runs.Select(r => ComparedRun.Of(r.Run)).ToList();
        var flattened = runs.Select(r => Flatten(r.Spec)).ToList();
        var paths = flattened.SelectMany(f => f.Keys).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal);
        var differences = new List<SpecDifference>();
        foreach (var path in paths)
        {
            var values = flattened.Select(f => f.TryGetValue(path, out var v) ? v : null).ToList();
            if (values.Distinct(StringComparer.Ordinal).Count() > 1)
            {
                differences.Add(new SpecDifference(path, values));
            }
        }

        return new RunComparison(compared, differences);
    }

    /// <summary>Each leaf of the spec by its path (<c>split.seed</c>, <c>trainers[0]</c>), as JSON text.</summary>
    private static Dictionary<string, string?> Flatten(string? json)
    {
        var leaves = new Dictionary<string, string?>(StringComparer.Ordinal);
        if (json is not null)
        {
            Walk(JsonNode.Parse(json), "$", leaves);
        }

        return leaves;
    }

    private static void Walk(JsonNode? node, string path, Dictionary<string, string?> leaves)
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (var (name, child) in obj)
                {
                    Walk(child, path + "." + name, leaves);
                }

                break;
            case JsonArray array:
                for (var i = 0; i < array.Count; i++)
                {
                    Walk(array[i], $"{path}[{i}]", leaves);
                }

                break;
            default:
                leaves[path] = node?.ToJsonString();
                break;
        }
    }
}

/// <summary>One run in a comparison.</summary>
public sealed record ComparedRun(
    string Id,
    string? Project,
    string Status,
    DateTimeOffset CreatedAt,
    int? DatasetVersion,
    string? DatasetHash,
    string? SpecHash,
    int? ModelVersion,
    string? RerunOf,
    ComparedCandidate? Best,
    IReadOnlyDictionary<string, double>? TestMetrics,
    IReadOnlyDictionary<string, string> Tags)
{
    public static ComparedRun Of(RunView run)
    {
        ArgumentNullException.ThrowIfNull(run);
        var evaluation = run.Report?.Evaluation;
        var best = evaluation is null ? null : run.Report!.Candidates.FirstOrDefault(c => c.Index == evaluation.CandidateIndex);
        return new ComparedRun(
            run.Id,
            run.Project,
            run.Status,
            run.CreatedAt,
            run.DatasetVersion ?? run.Report?.Dataset?.Version,
            run.DatasetHash ?? run.Report?.Dataset?.ContentHash,
            run.SpecHash,
            run.ModelVersion ?? run.Report?.ModelVersion,
            run.RerunOf,
            best is null ? null : new ComparedCandidate(best.Index, best.Trainer, JsonSerializer.SerializeToElement(best.Parameters), best.Metrics),
            evaluation?.Challenger,
            run.Tags);
    }
}

/// <summary>The best candidate of a compared run: its trainer, hyperparameters and validation metrics.</summary>
public sealed record ComparedCandidate(int Index, string Trainer, JsonElement Parameters, IReadOnlyDictionary<string, double> Metrics);

/// <summary>A spec field (JSON path) whose value differs between the compared runs; one value per run (null: absent).</summary>
public sealed record SpecDifference(string Path, IReadOnlyList<string?> Values);
