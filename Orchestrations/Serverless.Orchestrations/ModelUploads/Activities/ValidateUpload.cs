using Microsoft.DurableTask;
using Microsoft.Extensions.Options;
using Serverless.Orchestrations.Artifacts;
using Serverless.Storage;

namespace Serverless.Orchestrations.ModelUploads.Activities;

/// <summary>
/// Reads the uploaded <c>.onnx</c> (size checked before and while downloading) and its sidecar once, checks that they
/// are the bytes the trigger saw (<see cref="ModelUploadRequest.ContentHash"/>), validates them
/// (<see cref="UploadedModelValidator"/>) and keeps the model's bytes as a content-addressed snapshot
/// (<see cref="UploadSnapshots"/>) that every later step reads instead of the upload blob.
/// </summary>
public sealed class ValidateUpload(IBlobStore blobs, ArtifactStore artifacts, IOptions<ModelUploadOptions> options) : TaskActivity<ModelUploadRequest, UploadValidation>
{
    public override async Task<UploadValidation> RunAsync(TaskActivityContext context, ModelUploadRequest input)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(input);
        var ct = CancellationToken.None;
        var settings = options.Value;
        var properties = await blobs.GetPropertiesAsync(input.Container, input.Path, ct).ConfigureAwait(false);
        if (properties is null)
        {
            return new UploadValidation(null, null, 0, $"{input.Upload} no longer exists");
        }

        UploadSidecar? sidecar = null;
        try
        {
            UploadedModelValidator.RequireSize(properties.Length, input.Upload, settings.MaxModelBytes);
            var bytes = await ReadBoundedAsync(input, settings.MaxModelBytes, ct).ConfigureAwait(false);
            byte[]? sidecarBytes = null;
            if (input.SidecarPath is { } sidecarPath)
            {
                sidecarBytes = await TryReadAsync(input.Container, sidecarPath, ct).ConfigureAwait(false);
            }

            var hash = ModelUploadIds.ContentHash(bytes, sidecarBytes);
            if (!string.Equals(hash, input.ContentHash, StringComparison.Ordinal))
            {
                throw new ModelUploadRejectedException(
                    $"{input.Upload}{(input.SidecarPath is null ? string.Empty : " or its sidecar")} changed after the upload was received (content hash {hash}, not {input.ContentHash}); " +
                    "this upload validates nothing else (new .onnx content is handled as its own upload; after changing only the sidecar, upload the .onnx again)");
            }

            if (sidecarBytes is not null)
            {
                sidecar = UploadSidecar.Parse(System.Text.Encoding.UTF8.GetString(sidecarBytes), $"{input.Container}/{input.SidecarPath}");
            }

            var model = UploadedModelValidator.Validate(bytes, input.Upload, sidecar, settings.MaxModelBytes, settings.Limits);
            var snapshot = await UploadSnapshots.SaveAsync(artifacts, bytes, ct).ConfigureAwait(false);
            return new UploadValidation(model, sidecar, bytes.LongLength, null, snapshot);
        }
        catch (ModelUploadRejectedException e)
        {
            return new UploadValidation(null, sidecar, properties.Length, e.Message);
        }
    }

    /// <summary>The upload's bytes, never more than the limit (the blob may have grown since its properties were read).</summary>
    private async Task<byte[]> ReadBoundedAsync(ModelUploadRequest input, long maxBytes, CancellationToken ct)
    {
        await using var stream = await blobs.OpenReadAsync(input.Container, input.Path, ct).ConfigureAwait(false);
        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        while ((read = await stream.ReadAsync(chunk, ct).ConfigureAwait(false)) > 0)
        {
            buffer.Write(chunk, 0, read);
            UploadedModelValidator.RequireSize(buffer.Length, input.Upload, maxBytes);
        }

        UploadedModelValidator.RequireSize(buffer.Length, input.Upload, maxBytes);
        return buffer.ToArray();
    }

    private async Task<byte[]?> TryReadAsync(string container, string path, CancellationToken ct)
    {
        try
        {
            return await blobs.DownloadBytesAsync(container, path, ct).ConfigureAwait(false);
        }
        catch (StorageNotFoundException)
        {
            return null;
        }
    }
}
