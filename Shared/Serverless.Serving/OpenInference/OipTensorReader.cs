using System.Text.Json;
using Serverless.Onnx;

namespace Serverless.Serving.OpenInference;

/// <summary>Turns an infer request input into a typed tensor for a foreign model, element by element.</summary>
internal static class OipTensorReader
{
    public static NamedTensor ToTensor(OipInput input)
    {
        var kind = OipDatatypes.KindOf(input.Datatype)!.Value;
        Array data = kind switch
        {
            TensorElementKind.Float => Convert(input, e => (float)Number(input, e)),
            TensorElementKind.Double => Convert(input, e => Number(input, e)),
            TensorElementKind.Int64 => Convert(input, e => e.TryGetInt64(out var v) ? v : throw Invalid(input, e, "an integer")),
            TensorElementKind.Int32 => Convert(input, e => e.TryGetInt32(out var v) ? v : throw Invalid(input, e, "a 32-bit integer")),
            TensorElementKind.Int16 => Convert(input, e => e.TryGetInt16(out var v) ? v : throw Invalid(input, e, "a 16-bit integer")),
            TensorElementKind.Int8 => Convert(input, e => e.TryGetSByte(out var v) ? v : throw Invalid(input, e, "an 8-bit integer")),
            TensorElementKind.UInt8 => Convert(input, e => e.TryGetByte(out var v) ? v : throw Invalid(input, e, "an unsigned 8-bit integer")),
            TensorElementKind.UInt16 => Convert(input, e => e.TryGetUInt16(out var v) ? v : throw Invalid(input, e, "an unsigned 16-bit integer")),
            TensorElementKind.UInt32 => Convert(input, e => e.TryGetUInt32(out var v) ? v : throw Invalid(input, e, "an unsigned 32-bit integer")),
            TensorElementKind.UInt64 => Convert(input, e => e.TryGetUInt64(out var v) ? v : throw Invalid(input, e, "an unsigned 64-bit integer")),
            TensorElementKind.Bool => Convert(input, e => e.ValueKind switch
            {
                JsonValueKind.True => true,
                JsonValueKind.False => false,
                _ => throw Invalid(input, e, "true or false"),
            }),
            TensorElementKind.String => Convert(input, e => e.ValueKind == JsonValueKind.String ? e.GetString()! : throw Invalid(input, e, "a string")),
            _ => throw new ServingRequestException($"inputs[{input.Index}] ('{input.Name}'): datatype {input.Datatype} is not supported."),
        };
        return new NamedTensor(input.Name, input.Shape, data);
    }

    private static T[] Convert<T>(OipInput input, Func<JsonElement, T> read)
    {
        var values = new T[input.Data.Count];
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = read(input.Data[i]);
        }

        return values;
    }

    private static double Number(OipInput input, JsonElement element) =>
        element.ValueKind == JsonValueKind.Number && element.TryGetDouble(out var value) ? value : throw Invalid(input, element, "a number");

    private static ServingRequestException Invalid(OipInput input, JsonElement element, string expected)
    {
        var index = input.Data.ToList().IndexOf(element);
        return new ServingRequestException($"inputs[{input.Index}] ('{input.Name}', {input.Datatype}): element {index} is {Shorten(element.GetRawText())}; expected {expected}.");
    }

    private static string Shorten(string text) => text.Length <= 40 ? text : text[..40] + "…";
}
