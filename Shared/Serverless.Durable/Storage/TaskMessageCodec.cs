using System.Text;
using System.Text.Json;

namespace Serverless.Durable.Storage;

/// <summary>Encodes messages as JSON, moving events that do not fit a queue message to a blob.</summary>
internal sealed class TaskMessageCodec(LargePayloadStore payloads, int maxMessageLength)
{
    public async Task<string> EncodeAsync(TaskMessage message, CancellationToken cancellationToken)
    {
        var json = JsonSerializer.Serialize(message, DurableJson.Options);
        if (Encoding.UTF8.GetByteCount(json) <= maxMessageLength - 512)
        {
            return json;
        }

        var blob = await payloads.SaveAsync(message.InstanceId, JsonSerializer.Serialize(message.Event, DurableJson.Options), cancellationToken).ConfigureAwait(false);
        return JsonSerializer.Serialize(message with { Event = null, PayloadBlob = blob }, DurableJson.Options);
    }

    /// <summary>Reads the envelope only (no blob download), to learn the instance even when the payload is unreadable.</summary>
    /// <exception cref="JsonException">The body is not a task message.</exception>
    public static TaskMessage ReadEnvelope(string body)
    {
        var message = JsonSerializer.Deserialize<TaskMessage>(body, DurableJson.Options);
        if (message is null || string.IsNullOrEmpty(message.InstanceId) || (message.Event is null && message.PayloadBlob is null))
        {
            throw new JsonException("The queue message is not a task message: it names no instance or event.");
        }

        return message;
    }

    public async Task<TaskMessage> LoadPayloadAsync(TaskMessage envelope, CancellationToken cancellationToken)
    {
        if (envelope.PayloadBlob is null)
        {
            return envelope;
        }

        var json = await payloads.LoadAsync(envelope.PayloadBlob, cancellationToken).ConfigureAwait(false);
        return envelope with { Event = JsonSerializer.Deserialize<HistoryEvent>(json, DurableJson.Options) };
    }
}
