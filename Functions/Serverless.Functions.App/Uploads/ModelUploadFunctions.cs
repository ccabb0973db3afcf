using DurableTask.Core.Exceptions;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Logging;
using Serverless.Hosting;
using Serverless.Hosting.Blobs;
using Serverless.Orchestrations;
using Serverless.Orchestrations.ModelUploads;
using Serverless.Registry;
using Serverless.Storage;

namespace Serverless.Functions.Uploads;

/// <summary>
/// The <c>model-uploads</c> container: <c>{model}/{any/path}.onnx</c> starts <see cref="ModelUploadPipeline"/>,
/// with <c>{same path without .onnx}.json</c> as its sidecar when that blob exists (upload the sidecar first); see
/// <see cref="ModelUploadFingerprints"/>.
/// The instance id derives from the model and the content hash of both, so the same upload is handled once: not while
/// its pipeline runs, not again once it has completed (whatever its outcome), and not after its instance was purged when
/// the content is registered already. A failed pipeline that registered nothing may start again.
/// </summary>
public sealed partial class ModelUploadFunctions(ModelUploadFingerprints fingerprints, DurableTaskClient durable, ModelRegistry registry, ILogger<ModelUploadFunctions> logger)
{
    [Function("OnModelUploaded")]
    public async Task RunAsync(
        [BlobTrigger("%Product:ModelUploadsContainer%/{name}", Source = BlobTriggerSource.EventGrid)] Stream content,
        string blobTrigger,
        FunctionContext context)
    {
        ArgumentNullException.ThrowIfNull(content);
        ArgumentNullException.ThrowIfNull(context);
        var ct = context.CancellationToken;
        var blob = TriggeredBlob.Parse(blobTrigger);
        var model = blob.Owner;
        var path = blob.Path;
        if (!ModelUploadFingerprints.IsModel(path))
        {
            LogIgnored(logger, blob.Name);
            return;
        }

        if (StorageNames.DescribeInvalidResourceName("Model", model) is { } problem)
        {
            LogRejectedName(logger, blob.Name, problem);
            return;
        }

        var fingerprint = await fingerprints.ComputeAsync(blob.Container, blob.Name, content, ct).ConfigureAwait(false);
        var id = ModelUploadIds.ForContent(model, fingerprint.Hash);
        var request = new ModelUploadRequest(model, blob.Container, blob.Name, fingerprint.SidecarPath, fingerprint.Hash, context.GetCorrelationId());
        if (await durable.GetInstanceAsync(id, getInputsAndOutputs: false, ct).ConfigureAwait(false) is { RuntimeStatus: OrchestrationRuntimeStatus.Completed })
        {
            LogAlreadyFinished(logger, $"{blob.Container}/{blob.Name}", id);
            return;
        }

        if (await registry.FindRegisteredVersionAsync(model, id, ct).ConfigureAwait(false) is int version)
        {
            LogAlreadyRegistered(logger, $"{blob.Container}/{blob.Name}", id, model, version);
            return;
        }

        try
        {
            var start = SingleInstance.Options(id);
            await durable.ScheduleNewOrchestrationInstanceAsync(ModelUploadPipeline.Name, request, start, ct).ConfigureAwait(false);
            LogStarted(logger, id, $"{blob.Container}/{blob.Name}");
        }
        catch (OrchestrationAlreadyExistsException)
        {
            LogAlreadyHandled(logger, $"{blob.Container}/{blob.Name}", id);
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Ignored blob {Blob}: not an .onnx model (sidecars are read with their model)")]
    private static partial void LogIgnored(ILogger logger, string blob);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Ignored blob {Blob}: {Problem}")]
    private static partial void LogRejectedName(ILogger logger, string blob, string problem);

    [LoggerMessage(Level = LogLevel.Information, Message = "Started model upload {UploadId} for {Blob}")]
    private static partial void LogStarted(ILogger logger, string uploadId, string blob);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Blob}: the same content is already upload {UploadId}")]
    private static partial void LogAlreadyHandled(ILogger logger, string blob, string uploadId);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Blob}: the same content was upload {UploadId}, which has completed; not started again")]
    private static partial void LogAlreadyFinished(ILogger logger, string blob, string uploadId);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Blob}: the same content is registered already (upload {UploadId}, model {Model} version {Version}); not started again")]
    private static partial void LogAlreadyRegistered(ILogger logger, string blob, string uploadId, string model, int version);
}
