namespace Serverless.ML.Onnx;

/// <summary>What <see cref="OnnxUploadInspector"/> lets through: the bounds beyond which a declared graph is absurd for the product.</summary>
public sealed record OnnxUploadLimits
{
    /// <summary>The most elements any declared or constant tensor may have (default 100 million: 400 MB of floats).</summary>
    public long MaxTensorElements { get; init; } = 100_000_000;

    /// <summary>The highest rank of any declared or constant tensor (default 32).</summary>
    public int MaxRank { get; init; } = 32;

    /// <summary>The most nodes over the graph, its subgraphs and its functions together (default 500,000).</summary>
    public int MaxNodes { get; init; } = 500_000;
}
