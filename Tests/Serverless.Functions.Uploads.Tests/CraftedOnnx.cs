using System.Text;

namespace Serverless.Functions.Uploads.Tests;

/// <summary>
/// Hostile variants of a real model, made in the test: protobuf fields appended to the model's bytes merge into its
/// ModelProto (field numbers from onnx/onnx.proto), so each variant is the fixture plus one crafted part.
/// </summary>
internal static class CraftedOnnx
{
    /// <summary>An initializer whose data ONNX Runtime would read from <paramref name="location"/> (relative to the model's folder or absolute).</summary>
    public static byte[] ExternalData(byte[] model, string location) =>
        [.. model, .. Graph(Message(5, [
            .. Varint(1, 4), .. Varint(2, 1), .. Text(8, "stolen"),
            .. Message(13, [.. Text(1, "location"), .. Text(2, location)]),
            .. Message(13, [.. Text(1, "length"), .. Text(2, "16")]),
            .. Varint(14, 1)]))];

    /// <summary>A node of a custom operator domain, imported as an opset.</summary>
    public static byte[] CustomDomain(byte[] model) =>
        [.. model, .. Message(8, [.. Text(1, "com.evil"), .. Varint(2, 1)]), .. Graph(Message(1, [
            .. Text(1, "x1"), .. Text(2, "evil_out"), .. Text(3, "evil"), .. Text(4, "ReadFile"), .. Text(7, "com.evil")]))];

    /// <summary>A <c>ConstantOfShape</c> whose constant shape is 10^12 elements.</summary>
    public static byte[] AbsurdShape(byte[] model) =>
        [.. model, .. Graph([
            .. Message(5, [.. Varint(1, 2), .. Varint(2, 7), .. Text(8, "huge_shape"), .. Varint(7, 1_000_000), .. Varint(7, 1_000_000)]),
            .. Message(1, [.. Text(1, "huge_shape"), .. Text(2, "filled"), .. Text(3, "fill"), .. Text(4, "ConstantOfShape")])])];

    private static byte[] Graph(byte[] content) => Message(7, content);

    private static byte[] Text(int field, string value) => Message(field, Encoding.UTF8.GetBytes(value));

    private static byte[] Message(int field, byte[] content) => [.. Raw((ulong)((field << 3) | 2)), .. Raw((ulong)content.Length), .. content];

    private static byte[] Varint(int field, long value) => [.. Raw((ulong)(field << 3)), .. Raw((ulong)value)];

    private static byte[] Raw(ulong value)
    {
        var bytes = new List<byte>();
        do
        {
            var b = (byte)(value & 0x7F);
            value >>= 7;
            bytes.Add(value == 0 ? b : (byte)(b | 0x80));
        }
        while (value != 0);
        return [.. bytes];
    }
}
