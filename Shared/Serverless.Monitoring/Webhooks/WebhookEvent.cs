using System.Text.Json;
using System.Text.Json.Serialization;

namespace Serverless.Monitoring.Webhooks;

/// <summary>
/// The JSON body of a webhook: <c>{ "id", "type", "time", "subject", "data" }</c>. <c>id</c> is unique per event
/// (receivers deduplicate on it: retries resend the same id), <c>subject</c> names what the event is about
/// (e.g. <c>models/churn/versions/3</c>), <c>data</c> is the event-specific payload.
/// </summary>
public sealed record WebhookEvent(
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("type")] string Type,
    [property: JsonPropertyName("time")] DateTimeOffset Time,
    [property: JsonPropertyName("subject")] string Subject,
    [property: JsonPropertyName("data")] JsonElement Data)
{
    /// <summary>A new event with a fresh id, the current time and <paramref name="data"/> serialized with web defaults.</summary>
    public static WebhookEvent Create<T>(string type, string subject, T data, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(time);
        ArgumentException.ThrowIfNullOrWhiteSpace(subject);
        if (!WebhookEventTypes.IsKnown(type))
        {
            throw new ArgumentException($"'{type}' is not a webhook event type; expected one of {string.Join(", ", WebhookEventTypes.All)}.", nameof(type));
        }

        return new WebhookEvent(Guid.NewGuid().ToString("N"), type, time.GetUtcNow(), subject, JsonSerializer.SerializeToElement(data, JsonSerializerOptions.Web));
    }

    /// <summary>The exact bytes sent (and signed).</summary>
    public byte[] ToUtf8Json() => JsonSerializer.SerializeToUtf8Bytes(this, JsonSerializerOptions.Web);
}
