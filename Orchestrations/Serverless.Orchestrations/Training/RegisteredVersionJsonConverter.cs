using System.Text.Json;
using System.Text.Json.Serialization;

namespace Serverless.Orchestrations.Training;

/// <summary>
/// Reads a <see cref="RegisteredVersion"/> also from a bare number, the register activities' output before they said
/// whether the version was registered earlier, so a run recorded then (one waiting days for approval) replays.
/// </summary>
public sealed class RegisteredVersionJsonConverter : JsonConverter<RegisteredVersion>
{
    public override RegisteredVersion Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType == JsonTokenType.Number)
        {
            return new RegisteredVersion(reader.GetInt32(), AlreadyRegistered: false);
        }

        if (reader.TokenType != JsonTokenType.StartObject)
        {
            throw new JsonException($"A registered version is a number or an object, not {reader.TokenType}.");
        }

        int? version = null;
        var already = false;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
        {
            var name = reader.GetString();
            reader.Read();
            if (string.Equals(name, nameof(RegisteredVersion.Version), StringComparison.OrdinalIgnoreCase))
            {
                version = reader.GetInt32();
            }
            else if (string.Equals(name, nameof(RegisteredVersion.AlreadyRegistered), StringComparison.OrdinalIgnoreCase))
            {
                already = reader.GetBoolean();
            }
            else
            {
                reader.Skip();
            }
        }

        return new RegisteredVersion(version ?? throw new JsonException("A registered version needs its 'version'."), already);
    }

    public override void Write(Utf8JsonWriter writer, RegisteredVersion value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(value);
        writer.WriteStartObject();
        writer.WriteNumber(options?.PropertyNamingPolicy?.ConvertName(nameof(RegisteredVersion.Version)) ?? nameof(RegisteredVersion.Version), value.Version);
        writer.WriteBoolean(options?.PropertyNamingPolicy?.ConvertName(nameof(RegisteredVersion.AlreadyRegistered)) ?? nameof(RegisteredVersion.AlreadyRegistered), value.AlreadyRegistered);
        writer.WriteEndObject();
    }
}
