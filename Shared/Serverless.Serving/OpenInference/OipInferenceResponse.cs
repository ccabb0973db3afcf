using System.Globalization;
using System.Text.Json;
using Serverless.Onnx;

namespace Serverless.Serving.OpenInference;

/// <summary>
/// An infer response: <c>{ "model_name", "model_version", "id", "parameters": { "prediction_ids" }, "outputs": [ { "name", "datatype", "shape", "data" } ] }</c>.
/// <see cref="PredictionIds"/> (product models) are what feedback refers to.
/// </summary>
public sealed record OipInferenceResponse(string ModelName, int ModelVersion, string? Id, IReadOnlyList<NamedTensor> Outputs, IReadOnlyList<string>? PredictionIds)
{
    public void Write(Utf8JsonWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStartObject();
        writer.WriteString("model_name", ModelName);
        writer.WriteString("model_version", ModelVersion.ToString(CultureInfo.InvariantCulture));
        if (Id is not null)
        {
            writer.WriteString("id", Id);
        }

        if (PredictionIds is not null)
        {
            writer.WriteStartObject("parameters");
            writer.WriteStartArray("prediction_ids");
            foreach (var id in PredictionIds)
            {
                writer.WriteStringValue(id);
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        writer.WriteStartArray("outputs");
        foreach (var output in Outputs)
        {
            writer.WriteStartObject();
            writer.WriteString("name", output.Name);
            writer.WriteString("datatype", OipDatatypes.NameOf(output.ElementKind));
            writer.WriteStartArray("shape");
            foreach (var dim in output.Shape)
            {
                writer.WriteNumberValue(dim);
            }

            writer.WriteEndArray();
            writer.WriteStartArray("data");
            WriteData(writer, output.Data);
            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
    }

    private static void WriteData(Utf8JsonWriter writer, Array data)
    {
        switch (data)
        {
            case string[] strings:
                foreach (var s in strings)
                {
                    writer.WriteStringValue(s);
                }

                break;
            case bool[] booleans:
                foreach (var b in booleans)
                {
                    writer.WriteBooleanValue(b);
                }

                break;
            case float[] floats:
                foreach (var f in floats)
                {
                    WriteFinite(writer, f);
                }

                break;
            case double[] doubles:
                foreach (var d in doubles)
                {
                    WriteFinite(writer, d);
                }

                break;
            default:
                foreach (var value in data)
                {
                    writer.WriteNumberValue(System.Convert.ToDecimal(value, CultureInfo.InvariantCulture));
                }

                break;
        }
    }

    private static void WriteFinite(Utf8JsonWriter writer, double value)
    {
        if (double.IsFinite(value))
        {
            writer.WriteNumberValue(value);
        }
        else
        {
            writer.WriteNullValue();
        }
    }

    private static void WriteFinite(Utf8JsonWriter writer, float value)
    {
        if (float.IsFinite(value))
        {
            writer.WriteNumberValue(value);
        }
        else
        {
            writer.WriteNullValue();
        }
    }
}
