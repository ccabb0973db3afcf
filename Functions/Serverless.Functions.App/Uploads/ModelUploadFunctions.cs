using System.Security.Cryptography;
using DurableTask.Core.Exceptions;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Serverless.Hosting;
using Serverless.Hosting.Blobs;
using Serverless.Orchestrations;
using Serverless.Orchestrations.ModelUploads;
using Serverless.Registry;
using Serverless.Storage;

namespace Serverless.Functions.Uploads;

/// <summary>
/// The <c>model-uploads</c> container: <c>{model}/{any/path}.onnx</c> starts <see cref="ModelUploadPipeline"/>,
/// with <c>{same path without .onnx}.json</c> as its sidecar when that blob exists (upload the sidecar first).
/// The instance id derives from the model and the content hash of both, so the same upload is handled once: not while
/// its pipeline runs, not again once it has completed (whatever its outcome), and not after its instance was purged when
/// the content is registered already. A failed pipeline that registered nothing may start again.
/// </summary>
public sealed partial class ModelUploadFunctions(IBlobStore blobs, DurableTaskClient durable, ModelRegistry registry, IOptions<ModelUploadOptions> options, ILogger<ModelUploadFunctions> logger)
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
        if (!path.EndsWith(".onnx", StringComparison.OrdinalIgnoreCase))
        {
            LogIgnored(logger, blob.Name);
            return;
        }

        if (StorageNames.DescribeInvalidResourceName("Model", model) is { } problem)
        {
            LogRejectedName(logger, blob.Name, problem);
            return;
        }

        var sidecarPath = blob.Name[..^".onnx".Length] + ".json";
        var sidecar = await blobs.GetPropertiesAsync(blob.Container, sidecarPath, ct).ConfigureAwait(false);
        var properties = await blobs.GetPropertiesAsync(blob.Container, blob.Name, ct).ConfigureAwait(false)
            ?? throw new FileNotFoundException($"{blob} was deleted before it was read.");
        var hash = await HashAsync(properties, content, sidecar, ct).ConfigureAwait(false);
        var id = ModelUploadIds.ForContent(model, hash);
        var request = new ModelUploadRequest(model, blob.Container, blob.Name, sidecar is null ? null : sidecarPath, hash, context.GetCorrelationId());
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

    /// <summary>SHA-256 of the model bytes then the sidecar's; an oversized model is not read (its length and ETag stand for it, and validation rejects it).</summary>
    private async Task<string> HashAsync(BlobItem blob, Stream content, BlobItem? sidecar, CancellationToken ct)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        if (blob.Length > options.Value.MaxModelBytes)
        {
            hash.AppendData(System.Text.Encoding.UTF8.GetBytes($"{blob.Length}:{blob.ETag}"));
        }
        else
        {
            await AppendAsync(hash, content, ct).ConfigureAwait(false);
        }

        if (sidecar is not null)
        {
            await using var stream = await blobs.OpenReadAsync(sidecar.Container, sidecar.Name, ct).ConfigureAwait(false);
            await AppendAsync(hash, stream, ct).ConfigureAwait(false);
        }

        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }

    private static async Task AppendAsync(IncrementalHash hash, Stream stream, CancellationToken ct)
    {
        var buffer = new byte[81920];
        int read;
        while ((read = await stream.ReadAsync(buffer, ct).ConfigureAwait(false)) > 0)
        {
            hash.AppendData(buffer, 0, read);
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
