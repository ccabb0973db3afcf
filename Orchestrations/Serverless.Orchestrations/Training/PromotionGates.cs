using System.Globalization;
using Serverless.Domain.Datasets;
using Serverless.Domain.Models;
using Serverless.Domain.Projects;
using Serverless.ML.Evaluation;

namespace Serverless.Orchestrations.Training;

/// <summary>
/// The project's promotion gates, shared by every way a model version arrives (trained by the pipeline or
/// uploaded): every <c>gates.min</c> threshold, and beating production by <c>mustBeatProductionBy</c> in the
/// project metric when production could be scored on the same data; and, when slices were measured, every
/// <c>maxSliceGap</c>: per slice column, the best slice's metric minus the worst slice's (slices where the metric is
/// undefined, e.g. AUC of a one-class slice, left out) must not exceed it.
/// </summary>
public static class PromotionGates
{
    /// <summary>One result per gate; the challenger passes when all of them pass.</summary>
    public static IReadOnlyList<GateResult> Evaluate(GateSpec spec, MetricDefinition metric, ModelEvaluation challenger, int? championVersion, ModelEvaluation? champion, IReadOnlyList<SliceMetrics>? slices = null)
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

        if (slices is not null)
        {
            gates.AddRange(SliceGaps(spec.MaxSliceGap, slices));
        }

        return gates;
    }

    private static IEnumerable<GateResult> SliceGaps(IReadOnlyDictionary<string, double> maxGaps, IReadOnlyList<SliceMetrics> slices)
    {
        var inv = CultureInfo.InvariantCulture;
        foreach (var (name, limit) in maxGaps)
        {
            var known = MetricRegistry.IsKnown(name) ? MetricRegistry.Get(name).Name : name;
            if (slices.Count == 0)
            {
                yield return new GateResult($"maxSliceGap.{known}", limit, null, false, $"gates.maxSliceGap.{name}: the spec names no slices columns to compare");
            }

            foreach (var column in slices)
            {
                var measured = column.Values
                    .Where(v => v.Metrics.TryGetValue(known, out var value) && double.IsFinite(value))
                    .Select(v => (v.Value, Metric: v.Metrics[known]))
                    .ToList();
                if (!column.Values.Any(v => v.Metrics.ContainsKey(known)))
                {
                    yield return new GateResult($"maxSliceGap.{known}.{column.Column}", limit, null, false, $"gates.maxSliceGap.{name}: metric '{name}' is not computed for this task");
                    continue;
                }

                if (measured.Count < 2)
                {
                    yield return new GateResult($"maxSliceGap.{known}.{column.Column}", limit, 0, true, $"{known} gap across '{column.Column}' slices: fewer than 2 slices with a {known}");
                    continue;
                }

                var best = measured.MaxBy(m => m.Metric);
                var worst = measured.MinBy(m => m.Metric);
                var gap = best.Metric - worst.Metric;
                yield return new GateResult($"maxSliceGap.{known}.{column.Column}", limit, gap, gap <= limit,
                    $"{known} gap across '{column.Column}' slices {gap.ToString("0.####", inv)} (best '{best.Value}' {best.Metric.ToString("0.####", inv)}, worst '{worst.Value}' {worst.Metric.ToString("0.####", inv)}) <= {limit.ToString(inv)}");
            }
        }
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
