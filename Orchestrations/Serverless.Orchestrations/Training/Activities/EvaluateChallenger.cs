using System.Diagnostics;
using Microsoft.DurableTask;
using Serverless.Domain.Datasets;
using Serverless.Domain.Models;
using Serverless.Domain.Projects;
using Serverless.ML.Evaluation;
using Serverless.ML.Training;
using Serverless.Onnx;
using Serverless.Orchestrations.Artifacts;
using Serverless.Registry;

namespace Serverless.Orchestrations.Training.Activities;

/// <summary>
/// Evaluates the winning candidate (challenger) and the current production model (champion, when its
/// signature fits the data) on the same test split, both through ONNX Runtime, and applies the spec's gates:
/// see <see cref="PromotionGates"/>. For the challenger only, also on the test split: its metrics per spec
/// <c>slices</c> column value (<see cref="SliceEvaluator"/>, from the same ONNX predictions) and its permutation
/// feature importance (<see cref="PermutationImportance"/>, ML.NET's PFI on the candidate's saved ML.NET model).
/// </summary>
public sealed class EvaluateChallenger(ArtifactStore artifacts, ModelRegistry registry) : TaskActivity<EvaluateRequest, EvaluationOutcome>
{
    public override async Task<EvaluationOutcome> RunAsync(TaskActivityContext context, EvaluateRequest input)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(input);
        var ct = CancellationToken.None;
        var spec = ProjectSpecSerializer.Parse(input.SpecJson);
        var task = Enum.Parse<TaskKind>(input.Dataset.Task!, ignoreCase: true);
        var metric = MetricRegistry.Get(spec.Metric ?? MetricRegistry.DefaultFor(task));
        var phases = new PhaseTimer();
        var split = await artifacts.ReadSplitAsync(input.Split.SplitPath, input.Split.FramePath, ct).ConfigureAwait(false);
        var test = split.Test;
        var actual = test[input.Dataset.Label!];
        phases.End("read split");

        // Feature importance (ML.NET's PFI on one thread, the largest part) runs beside the ONNX scoring, the metrics and
        // the champion's evaluation: each only reads the frames and is deterministic, so the results are those of one after another.
        var importance = Task.Run(() => FeatureImportanceAsync(input, task, split, ct), ct);
        ModelEvaluation challenger;
        IReadOnlyList<SliceMetrics> slices;
        using (var model = OnnxModel.Load(await artifacts.ReadBytesAsync(input.Candidate.OnnxPath!, ct).ConfigureAwait(false)))
        {
            phases.End("load ONNX");
            var predictions = model.Score(test);
            phases.End($"score {test.RowCount} test rows (ONNX)");
            challenger = ModelEvaluator.Evaluate(task, input.Dataset.Classes, actual, predictions);
            slices = SliceEvaluator.Evaluate(task, input.Dataset.Classes, test, input.Dataset.Label!, predictions, spec.Slices);
            phases.End("metrics and slices");
        }

        var (championVersion, champion, skipped) = await EvaluateChampionAsync(input, task, test, actual, ct).ConfigureAwait(false);
        phases.End("champion");
        var (featureImportance, restore, permutation) = await importance.ConfigureAwait(false);
        phases.End("rest of feature importance");
        phases.Add("of which restore ML.NET model (featurization refitted, concurrent)", restore);
        phases.Add($"of which PFI on at most {PermutationImportance.MaxRows} rows (concurrent)", permutation);
        var gates = PromotionGates.Evaluate(spec.Gates, metric, challenger, championVersion, champion, slices);
        var reportPath = $"{ArtifactPaths.RunFolder(input.RunId)}/evaluation.json";
        await artifacts.WriteJsonAsync(reportPath, new { metric = metric.Name, challenger, championVersion, champion, championSkippedReason = skipped, gates, featureImportance, slices }, ct).ConfigureAwait(false);
        phases.End("write evaluation");
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
            reportPath,
            featureImportance,
            slices) { PhasesMs = phases.Milliseconds };
    }

    /// <returns>The importances, and how long the model's restore and the PFI took.</returns>
    private async Task<(IReadOnlyList<FeatureImportance> Importance, TimeSpan Restore, TimeSpan Permutation)> FeatureImportanceAsync(
        EvaluateRequest input, TaskKind task, SplitFrames split, CancellationToken ct)
    {
        // The featurization is refitted on the rows the candidate was fitted on (train, or train + validation when it was cross-validated).
        var train = CandidateScoring.For(split.Train, split.Validation).FitFrame;
        var test = split.Test;
        var archive = await artifacts.ReadBytesAsync(input.Candidate.ModelZipPath ?? throw new ArgumentException("The candidate has no ML.NET model."), ct).ConfigureAwait(false);
        var watch = Stopwatch.StartNew();
        var candidate = ModelArchive.Restore(archive, new CandidateSpec(input.Candidate.Trainer, input.Candidate.Parameters), train, input.Dataset.Label!, task, input.Dataset.Features, input.Split.Seed);
        var restore = watch.Elapsed;
        var importance = PermutationImportance.Compute(candidate, test);
        return (importance, restore, watch.Elapsed - restore);
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
        if (PromotionGates.DescribeChampionMismatch(production.Signature, task, input.Dataset.Label!, test) is { } mismatch)
        {
            return (version, null, $"production version {version} does not fit this data: {mismatch}");
        }

        using var model = OnnxModel.Load(await registry.LoadOnnxAsync(production, ct).ConfigureAwait(false));
        return (version, ModelEvaluator.Evaluate(task, input.Dataset.Classes, actual, model.Score(test)), null);
    }
}
