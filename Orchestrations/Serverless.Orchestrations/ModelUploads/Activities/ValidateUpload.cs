using Microsoft.DurableTask;
using Microsoft.Extensions.Options;
using Serverless.Storage;

namespace Serverless.Orchestrations.ModelUploads.Activities;

/// <summary>Reads the uploaded <c>.onnx</c> (size checked before downloading) and its sidecar, and validates them (<see cref="UploadedModelValidator"/>).</summary>
public sealed class ValidateUpload(IBlobStore blobs, IOptions<ModelUploadOptions> options) : TaskActivity<ModelUploadRequest, UploadValidation>
{
    public override async Task<UploadValidation> RunAsync(TaskActivityContext context, ModelUploadRequest input)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(input);
        var ct = CancellationToken.None;
        var maxBytes = options.Value.MaxModelBytes;
        var properties = await blobs.GetPropertiesAsync(input.Container, input.Path, ct).ConfigureAwait(false);
        if (properties is null)
        {
            return new UploadValidation(null, null, 0, $"{input.Upload} no longer exists");
        }

        UploadSidecar? sidecar = null;
        try
        {
            UploadedModelValidator.RequireSize(properties.Length, input.Upload, maxBytes);
            if (input.SidecarPath is { } sidecarPath
                && await blobs.TryDownloadTextAsync(input.Container, sidecarPath, ct).ConfigureAwait(false) is { } text)
            {
                sidecar = UploadSidecar.Parse(text, $"{input.Container}/{sidecarPath}");
            }

            var bytes = await blobs.DownloadBytesAsync(input.Container, input.Path, ct).ConfigureAwait(false);
            var model = UploadedModelValidator.Validate(bytes, input.Upload, sidecar, maxBytes);
            return new UploadValidation(model, sidecar, bytes.LongLength, null);
        }
        catch (ModelUploadRejectedException e)
        {
            return new UploadValidation(null, sidecar, properties.Length, e.Message);
        }
    }
}
