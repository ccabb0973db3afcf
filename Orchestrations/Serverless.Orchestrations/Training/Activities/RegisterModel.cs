using Microsoft.DurableTask;
using Serverless.Onnx;
using Serverless.Orchestrations.Artifacts;
using Serverless.Registry;

namespace Serverless.Orchestrations.Training.Activities;

/// <summary>
/// Registers the winning candidate as the next version of the project's model, with its signature (read back
/// from the ONNX file), test metrics, full lineage and a model card. Idempotent per run: the registry returns
/// the version this run already registered, and says whether an earlier execution of the run id did (see
/// <see cref="RegisteredVersion"/>).
/// </summary>
public sealed class RegisterModel(ArtifactStore artifacts, ModelRegistry registry, TimeProvider time) : TaskActivity<RegisterRequest, RegisteredVersion>
{
    public override async Task<RegisteredVersion> RunAsync(TaskActivityContext context, RegisterRequest input)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(input);
        var ct = CancellationToken.None;
        var onnx = await artifacts.ReadBytesAsync(input.Candidate.OnnxPath ?? throw new ArgumentException("The candidate has no ONNX model."), ct).ConfigureAwait(false);
        using var model = OnnxModel.Load(onnx);
        var signature = model.Signature ?? throw new InvalidOperationException("The candidate's ONNX model carries no signature.");

        var durations = new Dictionary<string, double>(input.DurationsSeconds) { ["trainCandidate"] = input.Candidate.DurationSeconds };
        var lineage = new ModelLineage
        {
            Source = "trained",
            Project = input.Project,
            DatasetVersion = input.Dataset.Version,
            DatasetHash = input.Dataset.ContentHash,
            DatasetSource = input.Dataset.Source,
            RunId = input.RunId,
            CodeVersion = ModelCard.CodeVersion,
            Trainer = input.Candidate.Trainer,
            Parameters = input.Candidate.Parameters,
            Seed = input.Split.Seed,
            SplitSizes = input.Split.Sizes,
            DurationsSeconds = durations,
            Trigger = input.Trigger,
            CorrelationId = input.CorrelationId,
            TraceId = System.Diagnostics.Activity.Current?.TraceId.ToHexString(),
        };
        var card = new ModelCard(input.Project, signature, lineage, input.Dataset, input.Candidate, input.Evaluation);
        var outcome = await registry.RegisterWithOutcomeAsync(
            new ModelRegistration(input.Project, input.RunId, signature, input.Evaluation.Challenger, lineage, onnx, card.ToMarkdown(), card.ToJson())
            {
                AttemptId = input.AttemptId,
                FeatureImportance = input.Evaluation.FeatureImportance,
                Slices = input.Evaluation.Slices,
            },
            time.GetUtcNow(),
            ct).ConfigureAwait(false);
        return new RegisteredVersion(outcome.Version.Version, outcome.AlreadyRegistered);
    }
}
