using System.Security.Cryptography;
using Serverless.Orchestrations.Artifacts;
using Serverless.Storage;

namespace Serverless.Orchestrations.ModelUploads;

/// <summary>
/// Content-addressed, create-only copies of validated uploads (<c>uploads/sha256/{hash}.onnx</c> in <c>artifacts</c>).
/// A snapshot is written once and never replaced; reading one checks its hash, so the pipeline evaluates and registers
/// exactly the bytes it validated, whatever happens to the upload blob meanwhile.
/// </summary>
public static class UploadSnapshots
{
    public static string PathFor(string sha256) => $"uploads/sha256/{sha256}.onnx";

    public static string Sha256(ReadOnlySpan<byte> bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));

    /// <summary>Keeps <paramref name="onnx"/> under its hash; the same bytes saved earlier (another upload, or a retried attempt) are kept as they are, after checking them.</summary>
    /// <exception cref="InvalidDataException">The snapshot already stored under this hash holds other bytes.</exception>
    public static async Task<UploadSnapshot> SaveAsync(ArtifactStore artifacts, byte[] onnx, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(artifacts);
        ArgumentNullException.ThrowIfNull(onnx);
        var hash = Sha256(onnx);
        var snapshot = new UploadSnapshot(PathFor(hash), hash, onnx.LongLength);
        try
        {
            await artifacts.WriteOnceAsync(snapshot.Path, onnx, "application/octet-stream", cancellationToken).ConfigureAwait(false);
        }
        catch (StorageConflictException)
        {
            _ = await ReadAsync(artifacts, snapshot, cancellationToken).ConfigureAwait(false);
        }

        return snapshot;
    }

    /// <summary>The snapshot's bytes, checked against its hash.</summary>
    /// <exception cref="InvalidDataException">The stored bytes do not have the snapshot's hash.</exception>
    public static async Task<byte[]> ReadAsync(ArtifactStore artifacts, UploadSnapshot snapshot, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(artifacts);
        ArgumentNullException.ThrowIfNull(snapshot);
        var bytes = await artifacts.ReadBytesAsync(snapshot.Path, cancellationToken).ConfigureAwait(false);
        var actual = Sha256(bytes);
        return string.Equals(actual, snapshot.Sha256, StringComparison.Ordinal)
            ? bytes
            : throw new InvalidDataException($"The upload snapshot {artifacts.Container}/{snapshot.Path} has SHA-256 {actual}, not {snapshot.Sha256}; it was changed after it was written.");
    }
}
