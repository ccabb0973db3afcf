using System.Text.Json;

namespace Serverless.Serving.OpenInference;

/// <summary>
/// An Open Inference Protocol infer request: <c>{ "id", "inputs": [ { "name", "shape", "datatype", "data" } ], "outputs": [ { "name" } ] }</c>.
/// The input data stay JSON elements (nested lists flattened, row-major) until the model's kind says how to read them.
/// Dispose it when done with the elements.
/// </summary>
public sealed class OipInferenceRequest : IDisposable
{
    private readonly JsonDocument _document;

    private OipInferenceRequest(JsonDocument document, string? id, IReadOnlyList<OipInput> inputs, IReadOnlyList<string>? outputs)
    {
        _document = document;
        Id = id;
        Inputs = inputs;
        Outputs = outputs;
    }

    public string? Id { get; }

    public IReadOnlyList<OipInput> Inputs { get; }

    /// <summary>The requested output names, or <c>null</c> for all.</summary>
    public IReadOnlyList<string>? Outputs { get; }

    public static OipInferenceRequest Read(ReadOnlyMemory<byte> body)
    {
        if (body.IsEmpty)
        {
            throw new ServingRequestException("The request body is empty; send { \"inputs\": [ { \"name\", \"shape\", \"datatype\", \"data\" } ] }.");
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(body);
        }
        catch (JsonException e)
        {
            throw new ServingRequestException($"Malformed JSON at line {e.LineNumber + 1}, byte {e.BytePositionInLine + 1}: {e.Message}", e);
        }

        try
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("inputs", out var inputs) || inputs.ValueKind != JsonValueKind.Array || inputs.GetArrayLength() == 0)
            {
                throw new ServingRequestException("The body must be an object with a non-empty 'inputs' list.");
            }

            string? id = null;
            if (root.TryGetProperty("id", out var idElement))
            {
                id = idElement.ValueKind == JsonValueKind.String ? idElement.GetString() : throw new ServingRequestException("'id' must be a string.");
            }

            var parsed = inputs.EnumerateArray().Select(ReadInput).ToList();
            return new OipInferenceRequest(document, id, parsed, ReadOutputs(root));
        }
        catch
        {
            document.Dispose();
            throw;
        }
    }

    public void Dispose() => _document.Dispose();

    private static OipInput ReadInput(JsonElement input, int index)
    {
        if (input.ValueKind != JsonValueKind.Object)
        {
            throw new ServingRequestException($"inputs[{index}] must be an object.");
        }

        var name = input.TryGetProperty("name", out var n) && n.ValueKind == JsonValueKind.String ? n.GetString()! : throw new ServingRequestException($"inputs[{index}].name must be a string.");
        var datatype = input.TryGetProperty("datatype", out var d) && d.ValueKind == JsonValueKind.String ? d.GetString()! : throw new ServingRequestException($"inputs[{index}] ('{name}'): 'datatype' must be a string such as FP32 or BYTES.");
        if (OipDatatypes.KindOf(datatype) is null)
        {
            throw new ServingRequestException($"inputs[{index}] ('{name}'): unknown datatype '{datatype}'.");
        }

        if (!input.TryGetProperty("shape", out var shapeElement) || shapeElement.ValueKind != JsonValueKind.Array)
        {
            throw new ServingRequestException($"inputs[{index}] ('{name}'): 'shape' must be a list of dimensions.");
        }

        var shape = shapeElement.EnumerateArray()
            .Select(dim => dim.TryGetInt64(out var value) && value >= 0 ? value : throw new ServingRequestException($"inputs[{index}] ('{name}'): shape dimensions must be non-negative integers."))
            .ToArray();
        if (!input.TryGetProperty("data", out var data))
        {
            throw new ServingRequestException($"inputs[{index}] ('{name}'): 'data' is missing.");
        }

        var values = new List<JsonElement>();
        Flatten(data, values);
        var expected = shape.Aggregate(1L, (product, dim) => product * dim);
        if (expected != values.Count)
        {
            throw new ServingRequestException($"inputs[{index}] ('{name}'): shape [{string.Join(",", shape)}] needs {expected} values; 'data' has {values.Count}.");
        }

        return new OipInput(index, name, datatype.ToUpperInvariant(), shape, values);
    }

    private static void Flatten(JsonElement data, List<JsonElement> values)
    {
        if (data.ValueKind != JsonValueKind.Array)
        {
            values.Add(data);
            return;
        }

        foreach (var item in data.EnumerateArray())
        {
            Flatten(item, values);
        }
    }

    private static List<string>? ReadOutputs(JsonElement root)
    {
        if (!root.TryGetProperty("outputs", out var outputs) || outputs.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (outputs.ValueKind != JsonValueKind.Array)
        {
            throw new ServingRequestException("'outputs' must be a list of { \"name\": … }.");
        }

        return outputs.EnumerateArray()
            .Select((output, i) => output.ValueKind == JsonValueKind.Object && output.TryGetProperty("name", out var name) && name.ValueKind == JsonValueKind.String
                ? name.GetString()!
                : throw new ServingRequestException($"outputs[{i}].name must be a string."))
            .ToList();
    }
}

/// <summary>One input tensor of an infer request: <see cref="Data"/> flattened row-major.</summary>
public sealed record OipInput(int Index, string Name, string Datatype, long[] Shape, IReadOnlyList<JsonElement> Data);
