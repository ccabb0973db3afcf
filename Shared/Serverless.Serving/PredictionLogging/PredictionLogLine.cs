using System.Text.Json;

namespace Serverless.Serving.PredictionLogging;

/// <summary>
/// One logged prediction as a line of a segment (JSON Lines): <c>id, model, version, time, inputs, output,
/// probabilities, latencyMs, correlationId, traceId, shadow, primaryId</c>; inputs and probabilities are JSON objects.
/// </summary>
internal static class PredictionLogLine
{
    public static void Write(Utf8JsonWriter json, PredictionLogEntry entry)
    {
        json.WriteStartObject();
        json.WriteString("id"u8, entry.Id);
        json.WriteString("model"u8, entry.Model);
        json.WriteNumber("version"u8, entry.Version);
        json.WriteString("time"u8, entry.Time.UtcDateTime);
        json.WritePropertyName("inputs"u8);
        json.WriteRawValue(entry.Inputs, skipInputValidation: true); // compact JSON the log formatted itself
        json.WriteString("output"u8, entry.Output);
        if (entry.Probabilities is { } probabilities)
        {
            json.WritePropertyName("probabilities"u8);
            json.WriteRawValue(probabilities, skipInputValidation: true);
        }

        json.WriteNumber("latencyMs"u8, Math.Round(entry.LatencyMs, 3));
        WriteOptional(json, "correlationId"u8, entry.CorrelationId);
        WriteOptional(json, "traceId"u8, entry.TraceId);
        if (entry.Shadow)
        {
            json.WriteBoolean("shadow"u8, true);
            WriteOptional(json, "primaryId"u8, entry.PrimaryId);
        }

        json.WriteEndObject();
    }

    /// <summary>The entry on one line, or <c>null</c> when the line is not one (blank or malformed).</summary>
    public static PredictionLogEntry? Parse(string line)
    {
        if (string.IsNullOrWhiteSpace(line))
        {
            return null;
        }

        try
        {
            using var document = JsonDocument.Parse(line);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object
                || !root.TryGetProperty("id"u8, out var id)
                || !root.TryGetProperty("inputs"u8, out var inputs) || inputs.ValueKind != JsonValueKind.Object)
            {
                return null;
            }

            return new PredictionLogEntry(
                id.GetString()!,
                Text(root, "model"u8) ?? string.Empty,
                root.GetProperty("version"u8).GetInt32(),
                root.GetProperty("time"u8).GetDateTimeOffset(),
                inputs.GetRawText(),
                Text(root, "output"u8) ?? string.Empty,
                root.TryGetProperty("probabilities"u8, out var probabilities) ? probabilities.GetRawText() : null,
                root.TryGetProperty("latencyMs"u8, out var latency) ? latency.GetDouble() : 0,
                Text(root, "correlationId"u8))
            {
                TraceId = Text(root, "traceId"u8),
                Shadow = root.TryGetProperty("shadow"u8, out var shadow) && shadow.ValueKind == JsonValueKind.True,
                PrimaryId = Text(root, "primaryId"u8),
            };
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or FormatException or KeyNotFoundException)
        {
            return null;
        }
    }

    private static void WriteOptional(Utf8JsonWriter json, ReadOnlySpan<byte> name, string? value)
    {
        if (value is not null)
        {
            json.WriteString(name, value);
        }
    }

    private static string? Text(JsonElement root, ReadOnlySpan<byte> name) =>
        root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
