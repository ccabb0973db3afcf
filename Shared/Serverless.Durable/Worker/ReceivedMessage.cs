using Serverless.Storage;

namespace Serverless.Durable.Worker;

/// <summary>
/// One event of a control-queue message this host holds (a batch message yields one per event, numbered by
/// <paramref name="Part"/>; all parts share the queue message, which is deleted once every part is processed).
/// </summary>
internal sealed record ReceivedMessage(string Queue, QueueMessage Raw, Storage.TaskMessage Message, int Part = 0)
{
    public HistoryEvent Event => Message.Event!;

    /// <summary>Identifies this event across redeliveries of its queue message.</summary>
    public (string MessageId, int Part) Key => (Raw.MessageId, Part);
}
