namespace Serverless.Onnx;

/// <summary>The element type of a tensor, independent of ONNX Runtime's own enum.</summary>
public enum TensorElementKind
{
    Other,
    Float,
    Double,
    Float16,
    Int8,
    Int16,
    Int32,
    Int64,
    UInt8,
    UInt16,
    UInt32,
    UInt64,
    Bool,
    String,
}
