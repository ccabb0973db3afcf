using System.Text.Json;
using Serverless.Serving.Traffic;

namespace Serverless.Functions.Serving;

/// <summary>The stored and API form of a traffic policy: <c>{"canary": {"version": 4, "share": 0.1}, "shadow": {"version": 5}}</c>.</summary>
public static class TrafficPolicyJson
{
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull,
    };

    public static string Serialize(TrafficPolicy policy) => JsonSerializer.Serialize(policy, Options);

    public static TrafficPolicy? Deserialize(string? json) => json is null ? null : JsonSerializer.Deserialize<TrafficPolicy>(json, Options);
}
