using Microsoft.ML.OnnxRuntime.Tensors;

namespace Serverless.Onnx;

/// <summary>Maps between array types, ONNX Runtime's element types and <see cref="TensorElementKind"/>.</summary>
internal static class TensorElementKinds
{
    public static TensorElementKind Of(Array data) => data switch
    {
        float[] => TensorElementKind.Float,
        double[] => TensorElementKind.Double,
        long[] => TensorElementKind.Int64,
        int[] => TensorElementKind.Int32,
        short[] => TensorElementKind.Int16,
        sbyte[] => TensorElementKind.Int8,
        byte[] => TensorElementKind.UInt8,
        ushort[] => TensorElementKind.UInt16,
        uint[] => TensorElementKind.UInt32,
        ulong[] => TensorElementKind.UInt64,
        bool[] => TensorElementKind.Bool,
        string[] => TensorElementKind.String,
        _ => TensorElementKind.Other,
    };

    public static TensorElementKind FromOrt(TensorElementType type) => type switch
    {
        TensorElementType.Float => TensorElementKind.Float,
        TensorElementType.Double => TensorElementKind.Double,
        TensorElementType.Float16 => TensorElementKind.Float16,
        TensorElementType.Int8 => TensorElementKind.Int8,
        TensorElementType.Int16 => TensorElementKind.Int16,
        TensorElementType.Int32 => TensorElementKind.Int32,
        TensorElementType.Int64 => TensorElementKind.Int64,
        TensorElementType.UInt8 => TensorElementKind.UInt8,
        TensorElementType.UInt16 => TensorElementKind.UInt16,
        TensorElementType.UInt32 => TensorElementKind.UInt32,
        TensorElementType.UInt64 => TensorElementKind.UInt64,
        TensorElementType.Bool => TensorElementKind.Bool,
        TensorElementType.String => TensorElementKind.String,
        _ => TensorElementKind.Other,
    };
}
