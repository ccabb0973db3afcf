using System.Text.Json;
using Serverless.Domain.Models;

namespace Serverless.Serving.Predictions;

/// <summary>
/// Writes <c>{ "model", "version", "predictions": [ { "id", "label", "probabilities": { class: p } } ] }</c>,
/// or <c>"value"</c> per prediction for regression.
/// </summary>
public static class PredictionResponseWriter
{
    public static void Write(Utf8JsonWriter writer, PredictionResult result)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(result);
        var predictions = result.Predictions;
        writer.WriteStartObject();
        writer.WriteString("model", result.Model);
        writer.WriteNumber("version", result.Version);
        writer.WriteStartArray("predictions");
        for (var row = 0; row < result.Ids.Count; row++)
        {
            writer.WriteStartObject();
            writer.WriteString("id", result.Ids[row]);
            if (predictions.Task == TaskKind.Regression)
            {
                WriteNumber(writer, "value", predictions.Values![row]);
            }
            else
            {
                writer.WriteString("label", predictions.Labels![row]);
                if (predictions.Classes is { Count: > 0 } classes && predictions.Probabilities is not null)
                {
                    writer.WriteStartObject("probabilities");
                    var probabilities = predictions.ProbabilitiesOf(row);
                    for (var c = 0; c < classes.Count; c++)
                    {
                        WriteNumber(writer, classes[c], probabilities[c]);
                    }

                    writer.WriteEndObject();
                }
            }

            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
    }

    private static void WriteNumber(Utf8JsonWriter writer, string name, float value)
    {
        if (float.IsFinite(value))
        {
            writer.WriteNumber(name, value);
        }
        else
        {
            writer.WriteNull(name);
        }
    }
}
