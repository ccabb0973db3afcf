using Serverless.Storage;

namespace Serverless.Durable.Worker;

/// <summary>
/// An instance's history as this host last committed it, cached between episodes while the host owns the
/// partition (so replay does not reload history), with what it needs to recognise duplicate messages.
/// </summary>
internal sealed class OrchestrationState
{
    private readonly List<HistoryEvent> _history = [];
    private readonly HashSet<int> _scheduled = [];
    private readonly HashSet<int> _completed = [];

    public OrchestrationState(string instanceId, IReadOnlyList<HistoryEvent> history, ETag? sentinelETag, string? executionId)
    {
        InstanceId = instanceId;
        SentinelETag = sentinelETag;
        ExecutionId = executionId;
        Append(history);
    }

    public string InstanceId { get; }

    public IReadOnlyList<HistoryEvent> History => _history;

    public ETag? SentinelETag { get; set; }

    public string? ExecutionId { get; private set; }

    public HistoryEvent? Completion { get; private set; }

    public bool IsStarted => _history.Any(e => e.Type == HistoryEventType.ExecutionStarted);

    public bool IsScheduled(int taskId) => _scheduled.Contains(taskId);

    public bool IsCompleted(int taskId) => _completed.Contains(taskId);

    /// <summary>Forgets the previous execution (restart or continue-as-new); the sentinel ETag stays.</summary>
    public void BeginExecution(string executionId)
    {
        _history.Clear();
        _scheduled.Clear();
        _completed.Clear();
        Completion = null;
        ExecutionId = executionId;
    }

    public void Append(IEnumerable<HistoryEvent> events)
    {
        foreach (var e in events)
        {
            _history.Add(e);
            switch (e.Type)
            {
                case HistoryEventType.TaskScheduled or HistoryEventType.TimerCreated or HistoryEventType.SubOrchestrationInstanceCreated:
                    _scheduled.Add(e.EventId);
                    break;
                case HistoryEventType.TaskCompleted or HistoryEventType.TaskFailed or HistoryEventType.TimerFired
                    or HistoryEventType.SubOrchestrationInstanceCompleted or HistoryEventType.SubOrchestrationInstanceFailed:
                    _completed.Add(e.TaskScheduledId);
                    break;
                case HistoryEventType.ExecutionCompleted:
                    Completion = e;
                    break;
                case HistoryEventType.ExecutionStarted:
                    ExecutionId = e.ExecutionId;
                    break;
                default:
                    break;
            }
        }
    }
}
