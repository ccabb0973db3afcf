using Serverless.Onnx;

namespace Serverless.Serving.OpenInference;

/// <summary>Open Inference Protocol datatype names (<c>FP32</c>, <c>BYTES</c>, …) and their tensor element kinds.</summary>
public static class OipDatatypes
{
    private static readonly Dictionary<TensorElementKind, string> Names = new()
    {
        [TensorElementKind.Bool] = "BOOL",
        [TensorElementKind.UInt8] = "UINT8",
        [TensorElementKind.UInt16] = "UINT16",
        [TensorElementKind.UInt32] = "UINT32",
        [TensorElementKind.UInt64] = "UINT64",
        [TensorElementKind.Int8] = "INT8",
        [TensorElementKind.Int16] = "INT16",
        [TensorElementKind.Int32] = "INT32",
        [TensorElementKind.Int64] = "INT64",
        [TensorElementKind.Float16] = "FP16",
        [TensorElementKind.Float] = "FP32",
        [TensorElementKind.Double] = "FP64",
        [TensorElementKind.String] = "BYTES",
    };

    private static readonly Dictionary<string, TensorElementKind> Kinds =
        Names.ToDictionary(pair => pair.Value, pair => pair.Key, StringComparer.OrdinalIgnoreCase);

    public static string NameOf(TensorElementKind kind) => Names.TryGetValue(kind, out var name) ? name : "UNKNOWN";

    public static TensorElementKind? KindOf(string datatype) => Kinds.TryGetValue(datatype, out var kind) ? kind : null;
}
