using System.Buffers;
using System.Text.Json;

namespace Serverless.Serving.PredictionLogging;

/// <summary>
/// One logged prediction as a line of a segment (JSON Lines): <c>id, model, version, time, inputs, output,
/// probabilities, latencyMs, correlationId, traceId, shadow, primaryId</c>; inputs and probabilities are JSON objects.
/// </summary>
internal static class PredictionLogLine
{
    [ThreadStatic]
    private static ArrayBufferWriter<byte>? t_line;

    [ThreadStatic]
    private static Utf8JsonWriter? t_json;

    public static void Write(Utf8JsonWriter json, PredictionLogEntry entry)
    {
        WriteHead(json, entry.Id, entry.Model, entry.Version, entry.Time);
        json.WritePropertyName("inputs"u8);
        json.WriteRawValue(entry.Inputs, skipInputValidation: true); // compact JSON the log formatted itself
        json.WriteString("output"u8, entry.Output);
        if (entry.Probabilities is { } probabilities)
        {
            json.WritePropertyName("probabilities"u8);
            json.WriteRawValue(probabilities, skipInputValidation: true);
        }

        WriteTail(json, entry.LatencyMs, entry.CorrelationId, entry.TraceId, entry.Shadow, entry.PrimaryId);
    }

    /// <summary>Opens a line: <c>id, model, version, time</c> (then the caller writes <c>inputs, output, probabilities</c>).</summary>
    public static void WriteHead(Utf8JsonWriter json, string id, string model, int version, DateTimeOffset time)
    {
        json.WriteStartObject();
        json.WriteString("id"u8, id);
        json.WriteString("model"u8, model);
        json.WriteNumber("version"u8, version);
        json.WriteString("time"u8, time.UtcDateTime);
    }

    /// <summary>Closes a line: <c>latencyMs, correlationId, traceId, shadow, primaryId</c>.</summary>
    public static void WriteTail(Utf8JsonWriter json, double latencyMs, string? correlationId, string? traceId, bool shadow, string? primaryId)
    {
        json.WriteNumber("latencyMs"u8, Math.Round(latencyMs, 3));
        WriteOptional(json, "correlationId"u8, correlationId);
        WriteOptional(json, "traceId"u8, traceId);
        if (shadow)
        {
            json.WriteBoolean("shadow"u8, true);
            WriteOptional(json, "primaryId"u8, primaryId);
        }

        json.WriteEndObject();
    }

    /// <summary>This thread's line writer, reset: write one line with it, then <see cref="End"/> (or <see cref="Abandon"/>).</summary>
    public static Utf8JsonWriter Begin()
    {
        var line = t_line ??= new ArrayBufferWriter<byte>(2048);
        var json = t_json ??= new Utf8JsonWriter(line);
        line.ResetWrittenCount();
        json.Reset(line);
        return json;
    }

    /// <summary>The line written since <see cref="Begin"/>, with its <c>\n</c>; valid until the thread's next line.</summary>
    public static ReadOnlySpan<byte> End()
    {
        var line = t_line!;
        t_json!.Flush();
        line.Write("\n"u8);
        var written = line.WrittenSpan;
        if (line.Capacity > 64 * 1024)
        {
            // An unusually wide row: do not keep its buffer for the thread's lifetime (the span stays valid).
            Abandon();
        }

        return written;
    }

    /// <summary>Drops the thread's writer (after a failed line, whose state is unknown).</summary>
    public static void Abandon()
    {
        t_line = null;
        t_json = null;
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
