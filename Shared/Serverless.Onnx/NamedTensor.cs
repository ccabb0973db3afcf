namespace Serverless.Onnx;

/// <summary>
/// A tensor by name, for models scored tensor by tensor (foreign ONNX models, Open Inference Protocol).
/// <see cref="Data"/> is a flat, row-major array of the element type: <c>float[]</c>, <c>double[]</c>,
/// <c>long[]</c>, <c>int[]</c>, <c>short[]</c>, <c>sbyte[]</c>, <c>byte[]</c>, <c>ushort[]</c>, <c>uint[]</c>,
/// <c>ulong[]</c>, <c>bool[]</c> or <c>string[]</c>.
/// </summary>
public sealed record NamedTensor(string Name, long[] Shape, Array Data)
{
    public TensorElementKind ElementKind => TensorElementKinds.Of(Data);

    /// <summary>The element count the shape implies.</summary>
    public long ElementCount => Shape.Aggregate(1L, (product, dim) => product * dim);
}
