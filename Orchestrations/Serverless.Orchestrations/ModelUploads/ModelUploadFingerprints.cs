using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;
using Serverless.Storage;

namespace Serverless.Orchestrations.ModelUploads;

/// <summary>
/// The fingerprint of an uploaded <c>.onnx</c> in the uploads container: SHA-256 of the model bytes then of its sidecar
/// (<see cref="SidecarPathOf"/>, when that blob exists). An oversized model is not read: its length and ETag stand for
/// it (validation rejects it anyway).
/// </summary>
public sealed class ModelUploadFingerprints(IBlobStore blobs, IOptions<ModelUploadOptions> options)
{
    private const string ModelExtension = ".onnx";

    /// <summary>Whether <paramref name="path"/> names a model (an <c>.onnx</c> file; sidecars are read with their model).</summary>
    public static bool IsModel(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        return path.EndsWith(ModelExtension, StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>The sidecar of a model blob: the same path with <c>.json</c> for <c>.onnx</c>.</summary>
    public static string SidecarPathOf(string modelPath)
    {
        if (!IsModel(modelPath))
        {
            throw new ArgumentException($"'{modelPath}' is not an {ModelExtension} model.", nameof(modelPath));
        }

        return modelPath[..^ModelExtension.Length] + ".json";
    }

    /// <summary>
    /// The fingerprint of the model blob <paramref name="name"/> in <paramref name="container"/>, hashing the
    /// <paramref name="content"/> a blob trigger already opened (not the blob a second time), with its sidecar.
    /// </summary>
    public async Task<ModelUploadFingerprint> ComputeAsync(string container, string name, Stream content, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(content);
        var model = await blobs.GetPropertiesAsync(container, name, cancellationToken).ConfigureAwait(false)
            ?? throw new FileNotFoundException($"{container}/{name} was deleted before it was read.");
        return await ComputeAsync(model, content, cancellationToken).ConfigureAwait(false);
    }

    private async Task<ModelUploadFingerprint> ComputeAsync(BlobItem model, Stream content, CancellationToken cancellationToken)
    {
        var sidecarPath = SidecarPathOf(model.Name);
        var sidecar = await blobs.GetPropertiesAsync(model.Container, sidecarPath, cancellationToken).ConfigureAwait(false);
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        if (model.Length > options.Value.MaxModelBytes)
        {
            hash.AppendData(Encoding.UTF8.GetBytes($"{model.Length}:{model.ETag}"));
        }
        else
        {
            await AppendAsync(hash, content, cancellationToken).ConfigureAwait(false);
        }

        if (sidecar is not null)
        {
            await AppendAsync(hash, sidecar, cancellationToken).ConfigureAwait(false);
        }

        return new ModelUploadFingerprint(Convert.ToHexStringLower(hash.GetHashAndReset()), sidecar is null ? null : sidecarPath);
    }

    private async Task AppendAsync(IncrementalHash hash, BlobItem blob, CancellationToken cancellationToken)
    {
        await using var stream = await blobs.OpenReadAsync(blob.Container, blob.Name, cancellationToken).ConfigureAwait(false);
        await AppendAsync(hash, stream, cancellationToken).ConfigureAwait(false);
    }

    private static async Task AppendAsync(IncrementalHash hash, Stream stream, CancellationToken cancellationToken)
    {
        var buffer = new byte[81920];
        int read;
        while ((read = await stream.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
        {
            hash.AppendData(buffer, 0, read);
        }
    }
}
