using Microsoft.DurableTask;
using Serverless.Domain.Datasets;
using Serverless.Domain.Models;
using Serverless.Domain.Projects;
using Serverless.ML.Evaluation;
using Serverless.Onnx;
using Serverless.Orchestrations.Artifacts;
using Serverless.Registry;

namespace Serverless.Orchestrations.Training.Activities;

/// <summary>
/// Evaluates the winning candidate (challenger) and the current production model (champion, when its
/// signature fits the data) on the same test split, both through ONNX Runtime, and applies the spec's gates:
/// see <see cref="PromotionGates"/>.
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
        var test = (await artifacts.ReadSplitAsync(input.Split.SplitPath, input.Split.FramePath, ct).ConfigureAwait(false)).Test;
        var actual = test[input.Dataset.Label!];

        ModelEvaluation challenger;
        using (var model = OnnxModel.Load(await artifacts.ReadBytesAsync(input.Candidate.OnnxPath!, ct).ConfigureAwait(false)))
        {
            challenger = ModelEvaluator.Evaluate(task, input.Dataset.Classes, actual, model.Score(test));
        }

        var (championVersion, champion, skipped) = await EvaluateChampionAsync(input, task, test, actual, ct).ConfigureAwait(false);
        var gates = PromotionGates.Evaluate(spec.Gates, metric, challenger, championVersion, champion);
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
        if (PromotionGates.DescribeChampionMismatch(production.Signature, task, input.Dataset.Label!, test) is { } mismatch)
        {
            return (version, null, $"production version {version} does not fit this data: {mismatch}");
        }

        using var model = OnnxModel.Load(await registry.LoadOnnxAsync(production, ct).ConfigureAwait(false));
        return (version, ModelEvaluator.Evaluate(task, input.Dataset.Classes, actual, model.Score(test)), null);
    }
}
