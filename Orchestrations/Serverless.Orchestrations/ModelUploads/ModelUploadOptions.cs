namespace Serverless.Orchestrations.ModelUploads;

/// <summary>Bring-your-own-ONNX settings (section <c>ModelUploads</c>).</summary>
public sealed class ModelUploadOptions
{
    public const string Section = "ModelUploads";

    /// <summary>The largest <c>.onnx</c> accepted, in bytes (default 200 MB).</summary>
    public long MaxModelBytes { get; set; } = 200L * 1024 * 1024;
}
