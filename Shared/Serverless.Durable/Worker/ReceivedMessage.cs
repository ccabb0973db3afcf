using Serverless.Storage;

namespace Serverless.Durable.Worker;

/// <summary>A control-queue message this host holds, with its decoded content.</summary>
internal sealed record ReceivedMessage(string Queue, QueueMessage Raw, Storage.TaskMessage Message)
{
    public HistoryEvent Event => Message.Event!;
}
