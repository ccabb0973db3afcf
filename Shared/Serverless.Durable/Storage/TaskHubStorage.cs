using Serverless.Storage;

namespace Serverless.Durable.Storage;

/// <summary>Everything one task hub keeps in storage, shared by the client and the worker.</summary>
internal sealed class TaskHubStorage
{
    public TaskHubStorage(IQueueStore queues, ITableStore tables, IBlobStore blobs, ILeaseStore leases, TaskHubNames names)
    {
        Queues = queues;
        Tables = tables;
        Blobs = blobs;
        Leases = leases;
        Names = names;
        Payloads = new LargePayloadStore(blobs, names);
        History = new HistoryStore(tables, Payloads, names);
        Instances = new InstanceStore(tables, Payloads, names);
        DeadLetters = new DeadLetterStore(tables, Payloads, names);
        Codec = new TaskMessageCodec(Payloads, queues.MaxMessageLength);
    }

    public IQueueStore Queues { get; }

    public ITableStore Tables { get; }

    public IBlobStore Blobs { get; }

    public ILeaseStore Leases { get; }

    public TaskHubNames Names { get; }

    public LargePayloadStore Payloads { get; }

    public HistoryStore History { get; }

    public InstanceStore Instances { get; }

    public DeadLetterStore DeadLetters { get; }

    public TaskMessageCodec Codec { get; }

    /// <summary>Wakes this host's pollers when it sends to a queue they read.</summary>
    public Worker.QueueWakeUps WakeUps { get; } = new();

    /// <summary>Wakes this host's clients waiting for an instance when its worker checkpoints the instance.</summary>
    public InstanceStatusSignals StatusChanges { get; } = new();

    private Task? _created;
    private readonly Lock _createLock = new();

    /// <summary>Creates the hub's queues, tables and containers (once per process).</summary>
    public Task EnsureCreatedAsync(CancellationToken cancellationToken)
    {
        lock (_createLock)
        {
            if (_created is null || _created.IsFaulted || _created.IsCanceled)
            {
                _created = CreateAsync(cancellationToken);
            }

            return _created;
        }
    }

    public async Task SendAsync(string queue, TaskMessage message, TimeSpan? delay, CancellationToken cancellationToken)
    {
        var body = await Codec.EncodeAsync(message, cancellationToken).ConfigureAwait(false);
        var delayed = delay is { } d && d > TimeSpan.Zero;
        await Queues.SendAsync(queue, body, delayed ? delay : null, cancellationToken).ConfigureAwait(false);
        if (!delayed)
        {
            WakeUps.Notify(queue);
        }
    }

    public Task SendToInstanceAsync(TaskMessage message, TimeSpan? delay, CancellationToken cancellationToken) =>
        SendAsync(Names.ControlQueueOf(message.InstanceId), message, delay, cancellationToken);

    private async Task CreateAsync(CancellationToken cancellationToken)
    {
        var work = new List<Task>
        {
            Queues.CreateQueueIfNotExistsAsync(Names.WorkItemQueue, cancellationToken),
            Tables.CreateTableIfNotExistsAsync(Names.HistoryTable, cancellationToken),
            Tables.CreateTableIfNotExistsAsync(Names.InstancesTable, cancellationToken),
            Tables.CreateTableIfNotExistsAsync(Names.WorkersTable, cancellationToken),
            Tables.CreateTableIfNotExistsAsync(Names.DeadLetterTable, cancellationToken),
            Blobs.CreateContainerIfNotExistsAsync(Names.LargeMessagesContainer, cancellationToken),
            Blobs.CreateContainerIfNotExistsAsync(Names.LeaseContainer, cancellationToken),
        };
        work.AddRange(Enumerable.Range(0, Names.PartitionCount).Select(p => Queues.CreateQueueIfNotExistsAsync(Names.ControlQueue(p), cancellationToken)));
        await Task.WhenAll(work).ConfigureAwait(false);
    }
}
