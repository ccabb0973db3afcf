using System.Text;
using System.Text.Json;

namespace Serverless.Durable.Storage;

/// <summary>Encodes messages as JSON, moving events that do not fit a queue message to a blob.</summary>
internal sealed class TaskMessageCodec(LargePayloadStore payloads, int maxMessageLength)
{
    /// <summary>The most UTF-8 bytes an encoded message may take before its events move to a blob.</summary>
    public int MaxInlineLength => maxMessageLength - 512;

    public async Task<string> EncodeAsync(TaskMessage message, CancellationToken cancellationToken)
    {
        var json = JsonSerializer.Serialize(message, DurableJson.Options);
        if (Encoding.UTF8.GetByteCount(json) <= MaxInlineLength)
        {
            return json;
        }

        // A batch's blob holds the event list, a single message's blob holds its event.
        var content = message.Events is { } events
            ? JsonSerializer.Serialize(events, DurableJson.Options)
            : JsonSerializer.Serialize(message.Event, DurableJson.Options);
        var blob = await payloads.SaveAsync(message.InstanceId, content, cancellationToken).ConfigureAwait(false);
        return JsonSerializer.Serialize(message with { Event = null, Events = null, PayloadBlob = blob, PayloadIsBatch = message.Events is not null }, DurableJson.Options);
    }

    /// <summary>Reads the envelope only (no blob download), to learn the instance even when the payload is unreadable.</summary>
    /// <exception cref="JsonException">The body is not a task message.</exception>
    public static TaskMessage ReadEnvelope(string body)
    {
        var message = JsonSerializer.Deserialize<TaskMessage>(body, DurableJson.Options);
        if (message is null || string.IsNullOrEmpty(message.InstanceId) || (message.Event is null && message.PayloadBlob is null && (message.Events is null || message.Events.Count == 0)))
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
        return envelope.PayloadIsBatch
            ? envelope with { Events = JsonSerializer.Deserialize<List<HistoryEvent>>(json, DurableJson.Options) }
            : envelope with { Event = JsonSerializer.Deserialize<HistoryEvent>(json, DurableJson.Options) };
    }
}
