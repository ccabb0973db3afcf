namespace Serverless.Durable;

/// <summary>The kinds of event an orchestration's history records.</summary>
public enum HistoryEventType
{
    ExecutionStarted,
    ExecutionCompleted,
    ExecutionTerminated,
    ExecutionSuspended,
    ExecutionResumed,
    OrchestratorStarted,
    TaskScheduled,
    TaskCompleted,
    TaskFailed,
    TimerCreated,
    TimerFired,
    SubOrchestrationInstanceCreated,
    SubOrchestrationInstanceCompleted,
    SubOrchestrationInstanceFailed,
    EventRaised,
    EventSent,
}

/// <summary>The orchestration that started a sub-orchestration, told when it finishes.</summary>
public sealed record ParentInstance(string InstanceId, string ExecutionId, int TaskScheduledId, string Name);

/// <summary>
/// One event of an orchestration's history (also the payload of the messages that drive it).
/// Which fields are set depends on <see cref="Type"/>.
/// </summary>
public sealed record HistoryEvent
{
    public required HistoryEventType Type { get; init; }

    /// <summary>The sequence number of an action the orchestrator took (task, timer, sub-orchestration, sent event); -1 otherwise.</summary>
    public int EventId { get; init; } = -1;

    public DateTime Timestamp { get; init; }

    /// <summary>Orchestrator, activity or event name.</summary>
    public string? Name { get; init; }

    /// <summary>Serialized input, event payload, or termination reason.</summary>
    public string? Input { get; init; }

    /// <summary>Serialized result or output.</summary>
    public string? Result { get; init; }

    public FailureDetails? Failure { get; init; }

    /// <summary>For completions: the <see cref="EventId"/> of the action they complete.</summary>
    public int TaskScheduledId { get; init; } = -1;

    public DateTime? FireAt { get; init; }

    /// <summary>Sub-orchestration or event target instance.</summary>
    public string? InstanceId { get; init; }

    public string? ExecutionId { get; init; }

    /// <summary>For <see cref="HistoryEventType.ExecutionCompleted"/>: how the execution ended.</summary>
    public OrchestrationRuntimeStatus? Status { get; init; }

    public ParentInstance? Parent { get; init; }

    /// <summary>Events carried into a new execution by continue-as-new.</summary>
    public IReadOnlyList<HistoryEvent>? CarriedEvents { get; init; }

    /// <summary>When the instance was first scheduled (kept across continue-as-new).</summary>
    public DateTime? ScheduledAt { get; init; }

    /// <summary>
    /// W3C <c>traceparent</c> of the caller: on <see cref="HistoryEventType.ExecutionStarted"/> the context that scheduled
    /// the orchestration (a client's current span, or the parent orchestration); on a work item's
    /// <see cref="HistoryEventType.TaskScheduled"/> the orchestration's own span. <c>null</c> in messages written
    /// before tracing or when nothing was being traced.
    /// </summary>
    public string? TraceParent { get; init; }

    /// <summary>W3C <c>tracestate</c> travelling with <see cref="TraceParent"/>.</summary>
    public string? TraceState { get; init; }

    public override string ToString() => Type switch
    {
        HistoryEventType.TaskScheduled => $"activity '{Name}' (#{EventId})",
        HistoryEventType.TimerCreated => $"timer firing at {FireAt:o} (#{EventId})",
        HistoryEventType.SubOrchestrationInstanceCreated => $"sub-orchestration '{Name}' (#{EventId})",
        HistoryEventType.EventSent => $"event '{Name}' sent to '{InstanceId}' (#{EventId})",
        _ => Type.ToString(),
    };
}
