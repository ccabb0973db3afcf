using System.Security.Cryptography;

namespace Serverless.Orchestrations.ModelUploads;

/// <summary>Upload orchestration ids: <c>upload-{model}-{first 16 hex of the content hash}</c>, so the same bytes are handled once per model and a model's uploads share a prefix.</summary>
public static class ModelUploadIds
{
    public static string PrefixFor(string model) => $"upload-{model}-";

    public static string ForContent(string model, string contentHash)
    {
        ArgumentNullException.ThrowIfNull(contentHash);
        return PrefixFor(model) + contentHash[..Math.Min(16, contentHash.Length)];
    }

    /// <summary>An upload's content hash: lower-case hex SHA-256 of the model's bytes followed by the sidecar's (when there is one).</summary>
    public static string ContentHash(ReadOnlySpan<byte> onnx, ReadOnlySpan<byte> sidecar)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData(onnx);
        hash.AppendData(sidecar);
        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }
}
