namespace Serverless.Onnx;

/// <summary>A graph input or output: its name, element type and shape (-1 for a dynamic dimension).</summary>
public sealed record TensorInfo(string Name, TensorElementKind ElementKind, IReadOnlyList<long> Shape)
{
    /// <summary>False for maps, sequences and other non-tensor values.</summary>
    public bool IsTensor { get; init; } = true;
}
