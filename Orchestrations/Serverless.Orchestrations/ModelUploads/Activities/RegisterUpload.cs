using System.Globalization;
using System.Text;
using Microsoft.DurableTask;
using Serverless.Orchestrations.Artifacts;
using Serverless.Orchestrations.Training;
using Serverless.Registry;

namespace Serverless.Orchestrations.ModelUploads.Activities;

/// <summary>
/// Registers a validated upload as the next version of its model: the uploaded bytes as they are, the signature,
/// the evaluation metrics, lineage <c>uploaded</c> (upload path, sidecar, hash, evaluation dataset) and a short
/// model card. The bytes are the snapshot validation kept and evaluation scored (read by its hash, checked), never the
/// upload blob. Idempotent per upload id; says whether an earlier execution of the id registered it.
/// </summary>
public sealed class RegisterUpload(ArtifactStore artifacts, ModelRegistry registry, DatasetCatalog datasets, TimeProvider time) : TaskActivity<RegisterUploadRequest, RegisteredVersion>
{
    public const string Source = "uploaded";

    public override async Task<RegisteredVersion> RunAsync(TaskActivityContext context, RegisterUploadRequest input)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(input);
        var ct = CancellationToken.None;
        var upload = input.Upload;
        var onnx = await UploadSnapshots.ReadAsync(artifacts, input.Snapshot, ct).ConfigureAwait(false);
        var reference = input.Sidecar?.EvaluationDataset;
        var dataset = reference is null ? null : await datasets.GetAsync(reference.Project, reference.Version, ct).ConfigureAwait(false);
        var lineage = new ModelLineage
        {
            Source = Source,
            Project = upload.Model,
            DatasetVersion = dataset?.Version,
            DatasetHash = dataset?.ContentHash,
            DatasetSource = dataset is null ? null : $"{dataset.Project}: {dataset.SourcePath}",
            RunId = input.UploadId,
            CodeVersion = "external",
            Trainer = "external onnx (" + input.Model.Kind + ")",
            Trigger = "upload",
            UploadPath = upload.Upload,
            UploadSidecar = upload.SidecarPath is null ? null : $"{upload.Container}/{upload.SidecarPath}",
            UploadHash = upload.ContentHash,
        };
        var outcome = await registry.RegisterWithOutcomeAsync(
            new ModelRegistration(upload.Model, input.UploadId, input.Model.Signature, input.Evaluation.Metrics, lineage, onnx, Card(input)) { AttemptId = input.AttemptId },
            time.GetUtcNow(),
            ct).ConfigureAwait(false);
        return new RegisteredVersion(outcome.Version.Version, outcome.AlreadyRegistered);
    }

    private static string Card(RegisterUploadRequest input)
    {
        var inv = CultureInfo.InvariantCulture;
        var card = new StringBuilder();
        card.Append(inv, $"# {input.Upload.Model} (uploaded ONNX)\n\n");
        card.Append(inv, $"- Upload: `{input.Upload.Upload}` (content hash {input.Upload.ContentHash}; model sha256 {input.Snapshot.Sha256})\n");
        card.Append(inv, $"- Kind: {input.Model.Kind}; task {input.Model.Signature.Task.ToString().ToLowerInvariant()}\n");
        card.Append(inv, $"- Inputs: {string.Join("; ", input.Model.Inputs)}\n");
        card.Append(inv, $"- Outputs: {string.Join("; ", input.Model.Outputs)}\n");
        card.Append(inv, $"- Evaluated on: {input.Evaluation.Dataset ?? "nothing (no evaluationDataset)"}\n");
        foreach (var (name, value) in input.Evaluation.Metrics)
        {
            card.Append(inv, $"  - {name}: {value:0.####}\n");
        }

        foreach (var gate in input.Evaluation.Gates)
        {
            card.Append(inv, $"- Gate {gate.Gate}: {(gate.Passed ? "passed" : "failed")} ({gate.Description})\n");
        }

        return card.ToString();
    }
}
