using System.Globalization;
using System.Text;
using Microsoft.DurableTask;
using Serverless.Registry;
using Serverless.Storage;

namespace Serverless.Orchestrations.ModelUploads.Activities;

/// <summary>
/// Registers a validated upload as the next version of its model: the uploaded bytes as they are, the signature,
/// the evaluation metrics, lineage <c>uploaded</c> (upload path, sidecar, hash, evaluation dataset) and a short
/// model card. Idempotent per upload id.
/// </summary>
public sealed class RegisterUpload(IBlobStore blobs, ModelRegistry registry, DatasetCatalog datasets, TimeProvider time) : TaskActivity<RegisterUploadRequest, int>
{
    public const string Source = "uploaded";

    public override async Task<int> RunAsync(TaskActivityContext context, RegisterUploadRequest input)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(input);
        var ct = CancellationToken.None;
        var upload = input.Upload;
        var onnx = await blobs.DownloadBytesAsync(upload.Container, upload.Path, ct).ConfigureAwait(false);
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
        var version = await registry.RegisterAsync(
            new ModelRegistration(upload.Model, input.UploadId, input.Model.Signature, input.Evaluation.Metrics, lineage, onnx, Card(input)),
            time.GetUtcNow(),
            ct).ConfigureAwait(false);
        return version.Version;
    }

    private static string Card(RegisterUploadRequest input)
    {
        var inv = CultureInfo.InvariantCulture;
        var card = new StringBuilder();
        card.Append(inv, $"# {input.Upload.Model} (uploaded ONNX)\n\n");
        card.Append(inv, $"- Upload: `{input.Upload.Upload}` (sha256 {input.Upload.ContentHash})\n");
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
