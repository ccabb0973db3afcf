namespace Serverless.Durable.Storage;

/// <summary>
/// A queue message driving an instance: the event to apply, for which execution (<c>null</c>: the current one).
/// When the event is too large for a queue message, it lives in a blob named by <see cref="PayloadBlob"/>.
/// </summary>
internal sealed record TaskMessage(string InstanceId, string? ExecutionId, HistoryEvent? Event, string? PayloadBlob = null)
{
    /// <summary>Unique id, so an activity's work item is recognisable (sequence and execution identify it too).</summary>
    public string? Id { get; init; }
}
