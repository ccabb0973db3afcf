namespace Serverless.Durable.Worker;

/// <summary>
/// The messages waiting for one instance on this host, and its cached state. One episode runs at a time;
/// messages that arrive meanwhile wait for the next. Deferred messages ride along with the next new ones.
/// </summary>
internal sealed class InstanceSession(string instanceId)
{
    private readonly Lock _lock = new();
    private readonly List<ReceivedMessage> _pending = [];
    private readonly List<ReceivedMessage> _deferred = [];
    private bool _running;

    public string InstanceId { get; } = instanceId;

    public OrchestrationState? State { get; set; }

    /// <returns><c>true</c> when the caller must start draining the session.</returns>
    public bool Enqueue(IEnumerable<ReceivedMessage> messages)
    {
        lock (_lock)
        {
            foreach (var message in messages)
            {
                _deferred.RemoveAll(d => d.Key == message.Key);
                _pending.RemoveAll(d => d.Key == message.Key);
                _pending.Add(message);
            }

            if (_running)
            {
                return false;
            }

            _running = true;
            return true;
        }
    }

    /// <summary>The next batch (deferred plus new messages), or <c>null</c> when nothing new arrived: the drain stops.</summary>
    public IReadOnlyList<ReceivedMessage>? TakeBatch()
    {
        lock (_lock)
        {
            if (_pending.Count == 0)
            {
                _running = false;
                return null;
            }

            var batch = _deferred.Concat(_pending).ToList();
            _deferred.Clear();
            _pending.Clear();
            return batch;
        }
    }

    public void Defer(IEnumerable<ReceivedMessage> messages)
    {
        lock (_lock)
        {
            _deferred.AddRange(messages);
        }
    }

    public bool IsIdleAndFinished
    {
        get
        {
            lock (_lock)
            {
                return !_running && _pending.Count == 0 && _deferred.Count == 0
                    && State?.Completion is { Status: not OrchestrationRuntimeStatus.ContinuedAsNew };
            }
        }
    }
}
