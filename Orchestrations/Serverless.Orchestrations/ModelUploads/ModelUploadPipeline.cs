using Microsoft.DurableTask;
using Serverless.Orchestrations.ModelUploads.Activities;
using Serverless.Orchestrations.Training;
using Serverless.Orchestrations.Training.Activities;

namespace Serverless.Orchestrations.ModelUploads;

/// <summary>
/// Bring your own ONNX: validate the upload, evaluate it on the sidecar's dataset version, register it with
/// lineage <c>uploaded</c>, and promote it by the project's gates (production when they pass and promotion is
/// automatic; staging when the project promotes manually). A rejected upload registers nothing and ends
/// <see cref="ModelUploadStatuses.Rejected"/> with the reason; the report is the custom status and the output.
/// </summary>
public sealed class ModelUploadPipeline : TaskOrchestrator<ModelUploadRequest, ModelUploadReport>
{
    public const string Name = nameof(ModelUploadPipeline);

    public override async Task<ModelUploadReport> RunAsync(TaskOrchestrationContext context, ModelUploadRequest input)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(input);
        var report = new ModelUploadReport
        {
            UploadId = context.InstanceId,
            Model = input.Model,
            Upload = input.Upload,
            Sidecar = input.SidecarPath is null ? null : $"{input.Container}/{input.SidecarPath}",
            ContentHash = input.ContentHash,
        };
        context.SetCustomStatus(report);

        var validation = await context.CallActivityAsync<UploadValidation>(nameof(ValidateUpload), input, StepRetry.Default);
        if (validation.Model is not { } model || validation.Snapshot is not { } snapshot)
        {
            return Finish(context, report with { Status = ModelUploadStatuses.Rejected, Reason = validation.Rejection ?? "validation kept no snapshot of the model" });
        }

        // Every later step reads the snapshot validation kept (by its hash), never the upload blob again.
        report = report with { Status = ModelUploadStatuses.Evaluating, Kind = model.Kind, Inputs = model.Inputs, Outputs = model.Outputs, ModelSha256 = snapshot.Sha256 };
        context.SetCustomStatus(report);
        var evaluation = await context.CallActivityAsync<UploadEvaluation>(nameof(EvaluateUpload), new EvaluateUploadRequest(context.InstanceId, input, model, validation.Sidecar, snapshot), StepRetry.Default);
        report = report with { Evaluation = evaluation };
        if (evaluation.Rejection is { } rejection)
        {
            return Finish(context, report with { Status = ModelUploadStatuses.Rejected, Reason = rejection });
        }

        // Names this execution of the upload id (deterministic on replay, new when the id starts again after a purge).
        var attempt = context.NewGuid().ToString("N");
        var registered = await context.CallActivityAsync<RegisteredVersion>(
            nameof(RegisterUpload), new RegisterUploadRequest(context.InstanceId, input, model, validation.Sidecar, evaluation, snapshot, attempt), StepRetry.Default);
        var version = registered.Version;
        report = report with { Status = ModelUploadStatuses.Registered, Version = version };
        if (registered.AlreadyRegistered)
        {
            return Finish(context, report with
            {
                Promotion = $"not promoted: version {version} was registered by an earlier execution of upload {context.InstanceId}; its promotion was decided then",
            });
        }

        if (!evaluation.Passed)
        {
            return Finish(context, report with
            {
                Promotion = "not promoted: gates not passed: " + string.Join("; ", evaluation.Gates.Where(g => !g.Passed).Select(g => g.Description)),
            });
        }

        if (!evaluation.AutoPromotion)
        {
            await context.CallActivityAsync<bool>(nameof(SetModelAlias), new SetAliasRequest(input.Model, "staging", version, "upload", $"upload {context.InstanceId}: gates passed", input.CorrelationId), StepRetry.Default);
            return Finish(context, report with { Status = ModelUploadStatuses.Staged, Promotion = "staging; the project promotes manually (set the production alias)" });
        }

        var promoted = await context.CallActivityAsync<PromotionResult>(
            nameof(PromoteModel), new PromoteRequest(input.Model, version, evaluation.ChampionVersion, "upload", $"upload {context.InstanceId}: gates passed", input.CorrelationId), StepRetry.Default);
        return Finish(context, promoted.Promoted
            ? report with { Status = ModelUploadStatuses.Promoted, Promotion = "promoted to production" }
            : report with { Promotion = promoted.DescribeRefusal(evaluation.ChampionVersion) });
    }

    private static ModelUploadReport Finish(TaskOrchestrationContext context, ModelUploadReport report)
    {
        context.SetCustomStatus(report);
        return report;
    }
}
