using System.Text.Json;
using System.Text.Json.Serialization;

namespace Serverless.Durable;

/// <summary>Turns inputs, outputs, event payloads and custom status into text and back. Replaceable through DI.</summary>
public abstract class DataConverter
{
    public abstract string? Serialize(object? value);

    public abstract object? Deserialize(string? data, Type targetType);

    public T? Deserialize<T>(string? data) => data is null ? default : (T?)Deserialize(data, typeof(T));
}

/// <summary>System.Text.Json with web defaults (camelCase, case-insensitive reads).</summary>
public sealed class JsonDataConverter(JsonSerializerOptions? options = null) : DataConverter
{
    public static JsonDataConverter Default { get; } = new();

    private readonly JsonSerializerOptions _options = options ?? new JsonSerializerOptions(JsonSerializerDefaults.Web);

    public override string? Serialize(object? value) => value is null ? null : JsonSerializer.Serialize(value, value.GetType(), _options);

    public override object? Deserialize(string? data, Type targetType)
    {
        ArgumentNullException.ThrowIfNull(targetType);
        return data is null ? null : JsonSerializer.Deserialize(data, targetType, _options);
    }
}

/// <summary>The engine's own JSON (messages and history rows): web defaults, enums as strings, nulls omitted.</summary>
internal static class DurableJson
{
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Converters = { new JsonStringEnumConverter() },
    };
}
