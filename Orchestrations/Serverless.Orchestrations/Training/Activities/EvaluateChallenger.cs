using System.Globalization;
using Serverless.Domain.Datasets;
using Serverless.Domain.Models;
using Serverless.Domain.Projects;
using Serverless.Durable;
using Serverless.ML.Evaluation;
using Serverless.Onnx;
using Serverless.Orchestrations.Artifacts;
using Serverless.Registry;

namespace Serverless.Orchestrations.Training.Activities;

/// <summary>
/// Evaluates the winning candidate (challenger) and the current production model (champion, when its
/// signature fits the data) on the same test split, both through ONNX Runtime, and applies the spec's gates:
/// every <c>gates.min</c> threshold, and beating production by <c>mustBeatProductionBy</c>.
/// </summary>
public sealed class EvaluateChallenger(ArtifactStore artifacts, ModelRegistry registry) : TaskActivity<EvaluateRequest, EvaluationOutcome>
{
    public override async Task<EvaluationOutcome> RunAsync(TaskActivityContext context, EvaluateRequest input)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(input);
        var ct = context.CancellationToken;
        var spec = ProjectSpecSerializer.Parse(input.SpecJson);
        var task = Enum.Parse<TaskKind>(input.Dataset.Task!, ignoreCase: true);
        var metric = MetricRegistry.Get(spec.Metric ?? MetricRegistry.DefaultFor(task));
        var test = await artifacts.ReadFrameAsync(input.Split.TestPath, ct).ConfigureAwait(false);
        var actual = test[input.Dataset.Label!];

        ModelEvaluation challenger;
        using (var model = OnnxModel.Load(await artifacts.ReadBytesAsync(input.Candidate.OnnxPath!, ct).ConfigureAwait(false)))
        {
            challenger = ModelEvaluator.Evaluate(task, input.Dataset.Classes, actual, model.Score(test));
        }

        var (championVersion, champion, skipped) = await EvaluateChampionAsync(input, task, test, actual, ct).ConfigureAwait(false);
        var gates = Gates(spec.Gates, metric, challenger, championVersion, champion);
        var reportPath = $"{ArtifactPaths.RunFolder(input.RunId)}/evaluation.json";
        await artifacts.WriteJsonAsync(reportPath, new { metric = metric.Name, challenger, championVersion, champion, championSkippedReason = skipped, gates }, ct).ConfigureAwait(false);
        return new EvaluationOutcome(
            input.Candidate.Index,
            metric.Name,
            metric.HigherIsBetter,
            challenger.Metrics,
            championVersion,
            champion?.Metrics,
            skipped,
            gates,
            gates.All(g => g.Passed),
            reportPath);
    }

    private async Task<(int? Version, ModelEvaluation? Evaluation, string? Skipped)> EvaluateChampionAsync(
        EvaluateRequest input, TaskKind task, TabularFrame test, FrameColumn actual, CancellationToken ct)
    {
        var version = await registry.GetAliasAsync(input.Project, "production", ct).ConfigureAwait(false);
        if (version is null)
        {
            return (null, null, "no production model yet");
        }

        var production = await registry.GetVersionAsync(input.Project, version.Value, ct).ConfigureAwait(false);
        if (DescribeMismatch(production.Signature, task, input.Dataset.Label!, test) is { } mismatch)
        {
            return (version, null, $"production version {version} does not fit this data: {mismatch}");
        }

        using var model = OnnxModel.Load(await registry.LoadOnnxAsync(production, ct).ConfigureAwait(false));
        return (version, ModelEvaluator.Evaluate(task, input.Dataset.Classes, actual, model.Score(test)), null);
    }

    /// <summary>Why the production model cannot be scored on this data (another task or label, or an input it needs is absent or of another kind).</summary>
    private static string? DescribeMismatch(ModelSignature signature, TaskKind task, string label, TabularFrame test)
    {
        if (signature.Task != task || signature.Label != label)
        {
            return $"it predicts {signature.Task.ToString().ToLowerInvariant()} '{signature.Label}', this run {task.ToString().ToLowerInvariant()} '{label}'";
        }

        foreach (var input in signature.Inputs)
        {
            if (!test.Contains(input.Name))
            {
                return $"input column '{input.Name}' is not in the data";
            }

            var numeric = input.Kind is ColumnKind.Numeric or ColumnKind.Boolean;
            if (numeric != test[input.Name] is NumericColumn)
            {
                return $"input column '{input.Name}' was {input.Kind.ToString().ToLowerInvariant()} and is now {test[input.Name].Kind.ToString().ToLowerInvariant()}";
            }
        }

        return null;
    }

    private static List<GateResult> Gates(GateSpec spec, MetricDefinition metric, ModelEvaluation challenger, int? championVersion, ModelEvaluation? champion)
    {
        var inv = CultureInfo.InvariantCulture;
        var gates = new List<GateResult>();
        foreach (var (name, threshold) in spec.Min)
        {
            if (!MetricRegistry.IsKnown(name) || !challenger.Metrics.TryGetValue(MetricRegistry.Get(name).Name, out var value))
            {
                gates.Add(new GateResult($"min.{name}", threshold, null, false, $"gates.min.{name}: metric '{name}' is not computed for this task ({string.Join(", ", challenger.Metrics.Keys)})"));
                continue;
            }

            var definition = MetricRegistry.Get(name);
            var passed = definition.HigherIsBetter ? value >= threshold : value <= threshold;
            gates.Add(new GateResult($"min.{definition.Name}", threshold, value, passed,
                $"{definition.Name} {value.ToString("0.####", inv)} {(definition.HigherIsBetter ? ">=" : "<=")} {threshold.ToString(inv)}"));
        }

        if (spec.MustBeatProductionBy is double margin && champion is not null && champion.Metrics.TryGetValue(metric.Name, out var production))
        {
            var value = challenger[metric.Name];
            var passed = metric.HigherIsBetter ? value >= production + margin : value <= production - margin;
            gates.Add(new GateResult("mustBeatProductionBy", margin, value, passed,
                $"{metric.Name} {value.ToString("0.####", inv)} against production version {championVersion} at {production.ToString("0.####", inv)} (must be better by at least {margin.ToString(inv)})"));
        }

        return gates;
    }
}
