using Serverless.ML.Onnx;

namespace Serverless.Orchestrations.ModelUploads;

/// <summary>Bring-your-own-ONNX settings (section <c>ModelUploads</c>).</summary>
public sealed class ModelUploadOptions
{
    public const string Section = "ModelUploads";

    /// <summary>The largest <c>.onnx</c> accepted, in bytes (default 200 MB).</summary>
    public long MaxModelBytes { get; set; } = 200L * 1024 * 1024;

    /// <summary>The most elements any declared or constant tensor of an upload may have (default 100 million).</summary>
    public long MaxTensorElements { get; set; } = new OnnxUploadLimits().MaxTensorElements;

    /// <summary>The most nodes an upload's graph, subgraphs and functions may have together (default 500,000).</summary>
    public int MaxNodes { get; set; } = new OnnxUploadLimits().MaxNodes;

    /// <summary>The checks <see cref="OnnxUploadInspector"/> applies before an upload is loaded.</summary>
    public OnnxUploadLimits Limits => new() { MaxTensorElements = MaxTensorElements, MaxNodes = MaxNodes };
}
