using System.Globalization;
using Serverless.Domain.Datasets;
using Serverless.Domain.Models;
using Serverless.Domain.Projects;
using Serverless.ML.Evaluation;

namespace Serverless.Orchestrations.Training;

/// <summary>
/// The project's promotion gates, shared by every way a model version arrives (trained by the pipeline or
/// uploaded): every <c>gates.min</c> threshold, and beating production by <c>mustBeatProductionBy</c> in the
/// project metric when production could be scored on the same data.
/// </summary>
public static class PromotionGates
{
    /// <summary>One result per gate; the challenger passes when all of them pass.</summary>
    public static IReadOnlyList<GateResult> Evaluate(GateSpec spec, MetricDefinition metric, ModelEvaluation challenger, int? championVersion, ModelEvaluation? champion)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(metric);
        ArgumentNullException.ThrowIfNull(challenger);
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

    /// <summary>Why the production model cannot be scored on this data (another task or label, or an input it needs is absent or of another kind); null when it can.</summary>
    public static string? DescribeChampionMismatch(ModelSignature signature, TaskKind task, string label, TabularFrame data)
    {
        ArgumentNullException.ThrowIfNull(signature);
        ArgumentNullException.ThrowIfNull(data);
        if (signature.Task != task || signature.Label != label)
        {
            return $"it predicts {signature.Task.ToString().ToLowerInvariant()} '{signature.Label}', this run {task.ToString().ToLowerInvariant()} '{label}'";
        }

        foreach (var input in signature.Inputs)
        {
            if (!data.Contains(input.Name))
            {
                return $"input column '{input.Name}' is not in the data";
            }

            var numeric = input.Kind is ColumnKind.Numeric or ColumnKind.Boolean;
            if (numeric != data[input.Name] is NumericColumn)
            {
                return $"input column '{input.Name}' was {input.Kind.ToString().ToLowerInvariant()} and is now {data[input.Name].Kind.ToString().ToLowerInvariant()}";
            }
        }

        return null;
    }
}
