using System.Text.Json.Serialization;

namespace Serverless.Durable.Storage;

/// <summary>
/// A queue message driving an instance: the event to apply, for which execution (<c>null</c>: the current one).
/// A batch message carries several events of one instance and execution in <see cref="Events"/> instead (a work
/// item with several activities, or several activity results), so one queue round trip serves them all.
/// When the content is too large for a queue message, it lives in a blob named by <see cref="PayloadBlob"/>.
/// </summary>
internal sealed record TaskMessage(string InstanceId, string? ExecutionId, HistoryEvent? Event, string? PayloadBlob = null)
{
    /// <summary>Unique id, so an activity's work item is recognisable (sequence and execution identify it too).</summary>
    public string? Id { get; init; }

    /// <summary>The events of a batch message (<see cref="Event"/> is then <c>null</c>).</summary>
    public IReadOnlyList<HistoryEvent>? Events { get; init; }

    /// <summary>Whether <see cref="PayloadBlob"/> holds a batch's event list rather than one event.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public bool PayloadIsBatch { get; init; }

    /// <summary>The events this message carries, one or many.</summary>
    [JsonIgnore]
    public IReadOnlyList<HistoryEvent> AllEvents => Events ?? (Event is { } e ? [e] : []);

    /// <summary>A message carrying several events of one instance and execution.</summary>
    public static TaskMessage Batch(string instanceId, string? executionId, IReadOnlyList<HistoryEvent> events) =>
        events.Count == 1
            ? new TaskMessage(instanceId, executionId, events[0])
            : new TaskMessage(instanceId, executionId, null) { Events = events };

    /// <summary>The single-event messages this message stands for.</summary>
    public IEnumerable<TaskMessage> Split() => AllEvents.Select(e => this with { Event = e, Events = null, PayloadBlob = null });
}
