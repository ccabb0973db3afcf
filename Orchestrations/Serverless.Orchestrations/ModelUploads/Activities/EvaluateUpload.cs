using Microsoft.DurableTask;
using Serverless.Domain.Datasets;
using Serverless.Domain.Models;
using Serverless.Domain.Projects;
using Serverless.ML.Evaluation;
using Serverless.Onnx;
using Serverless.Orchestrations.Artifacts;
using Serverless.Orchestrations.Training;
using Serverless.Registry;

namespace Serverless.Orchestrations.ModelUploads.Activities;

/// <summary>
/// Scores a tabular upload (the bytes of the snapshot validation kept, checked against its hash, loaded with
/// <see cref="OnnxModelOptions.Untrusted"/>) on the sidecar's dataset version (its frame in <c>artifacts</c>, columns renamed by
/// <c>inputMapping</c>) with <see cref="ModelEvaluator"/>, scores production on the same rows when it fits, and
/// applies the project's gates with <see cref="PromotionGates"/>. Without an evaluation dataset there are no
/// metrics: <c>gates.min</c> fail, and an existing production model is not replaced unless the project has no
/// <c>mustBeatProductionBy</c>.
/// </summary>
public sealed class EvaluateUpload(ArtifactStore artifacts, ModelRegistry registry, DatasetCatalog datasets, ProjectCatalog projects)
    : TaskActivity<EvaluateUploadRequest, UploadEvaluation>
{
    public override async Task<UploadEvaluation> RunAsync(TaskActivityContext context, EvaluateUploadRequest input)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(input);
        var ct = CancellationToken.None;
        var project = await projects.GetAsync(input.Upload.Model, ct).ConfigureAwait(false);
        var spec = project?.Spec ?? ProjectSpec.Default;
        var signature = input.Model.Signature;
        var metric = MetricRegistry.Get(spec.Metric ?? MetricRegistry.DefaultFor(signature.Task));
        var production = await registry.GetAliasAsync(input.Upload.Model, "production", ct).ConfigureAwait(false);
        var auto = spec.Promotion == PromotionMode.Auto;

        if (input.Sidecar?.EvaluationDataset is not { } reference)
        {
            var gates = PromotionGates.Evaluate(spec.Gates, metric, ModelEvaluation.Empty, null, null).ToList();
            if (production is int current && spec.Gates.MustBeatProductionBy is double margin)
            {
                gates.Add(new GateResult("mustBeatProductionBy", margin, null, false,
                    $"not evaluated (no evaluationDataset in the sidecar), so it cannot be compared with production version {current}"));
            }

            return new UploadEvaluation(metric.Name, new Dictionary<string, double>(), null, production, null, "not evaluated", gates, gates.All(g => g.Passed), auto);
        }

        var datasetName = $"{reference.Project} version {reference.Version}";
        TabularFrame data;
        try
        {
            var version = await datasets.GetAsync(reference.Project, reference.Version, ct).ConfigureAwait(false);
            if (!version.Artifacts.TryGetValue("frame", out var framePath))
            {
                return Rejected(metric, datasetName, auto, $"dataset {datasetName} has no frame in artifacts (was it valid?)");
            }

            data = await artifacts.ReadFrameAsync(framePath, ct).ConfigureAwait(false);
        }
        catch (RegistryNotFoundException e)
        {
            return Rejected(metric, datasetName, auto, $"sidecar field 'evaluationDataset': {e.Message}");
        }

        if (!data.Contains(signature.Label))
        {
            return Rejected(metric, datasetName, auto, $"dataset {datasetName} has no column '{signature.Label}', the label the model predicts");
        }

        var actual = data[signature.Label];
        var classes = signature.Classes ?? [];
        var inputs = MapInputs(data, signature, input.Model.InputMapping, datasetName, out var problem);
        if (problem is not null)
        {
            return Rejected(metric, datasetName, auto, problem);
        }

        ModelEvaluation challenger;
        try
        {
            using var model = OnnxModel.Load(await UploadSnapshots.ReadAsync(artifacts, input.Snapshot, ct).ConfigureAwait(false), OnnxModelOptions.Untrusted);
            challenger = ModelEvaluator.Evaluate(signature.Task, classes, actual, model.Score(inputs!));
        }
        catch (OnnxModelException e)
        {
            return Rejected(metric, datasetName, auto, $"scoring {datasetName} failed: {e.Message}");
        }

        var (champion, skipped) = await EvaluateProductionAsync(input.Upload.Model, production, signature, data, actual, ct).ConfigureAwait(false);
        var results = PromotionGates.Evaluate(spec.Gates, metric, challenger, production, champion);
        await artifacts.WriteJsonAsync($"uploads/{input.UploadId}/evaluation.json", new { metric = metric.Name, dataset = datasetName, challenger, championVersion = production, champion, championSkippedReason = skipped, gates = results }, ct).ConfigureAwait(false);
        return new UploadEvaluation(metric.Name, challenger.Metrics, datasetName, production, champion?.Metrics, skipped, results, results.All(g => g.Passed), auto);
    }

    private static UploadEvaluation Rejected(MetricDefinition metric, string dataset, bool auto, string reason) =>
        new(metric.Name, new Dictionary<string, double>(), dataset, null, null, null, [], false, auto, reason);

    /// <summary>The frame the model reads: each signature input from its mapped column (the same name when unmapped).</summary>
    private static TabularFrame? MapInputs(TabularFrame data, ModelSignature signature, IReadOnlyDictionary<string, string> mapping, string dataset, out string? problem)
    {
        var columns = new List<FrameColumn>();
        foreach (var input in signature.Inputs)
        {
            var column = mapping.TryGetValue(input.Name, out var mapped) ? mapped : input.Name;
            if (!data.Contains(column))
            {
                problem = $"dataset {dataset} has no column '{column}' for model input '{input.Name}'" + (mapped is null ? " (map it in the sidecar's inputMapping)" : " (sidecar inputMapping)");
                return null;
            }

            columns.Add(data[column] with { Name = input.Name });
        }

        problem = null;
        return new TabularFrame(columns);
    }

    private async Task<(ModelEvaluation? Evaluation, string? Skipped)> EvaluateProductionAsync(
        string model, int? production, ModelSignature signature, TabularFrame data, FrameColumn actual, CancellationToken ct)
    {
        if (production is not int version)
        {
            return (null, "no production model yet");
        }

        var current = await registry.GetVersionAsync(model, version, ct).ConfigureAwait(false);
        if (current.Signature.Inputs.Count == 0)
        {
            return (null, $"production version {version} is a tensor model, not scored on dataset columns");
        }

        if (PromotionGates.DescribeChampionMismatch(current.Signature, signature.Task, signature.Label, data) is { } mismatch)
        {
            return (null, $"production version {version} does not fit this data: {mismatch}");
        }

        using var onnx = OnnxModel.Load(await registry.LoadOnnxAsync(current, ct).ConfigureAwait(false));
        return (ModelEvaluator.Evaluate(signature.Task, signature.Classes ?? [], actual, onnx.Score(data)), null);
    }
}
