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
}
