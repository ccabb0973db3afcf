using System.Globalization;
using Microsoft.Extensions.Logging;

namespace Serverless.Durable.Replay;

/// <summary>
/// The orchestration context during replay: applies history events one at a time, checks that the actions
/// the orchestrator takes match the ones its history records, and collects the new ones.
/// </summary>
internal sealed class ReplayOrchestrationContext(string instanceId, DataConverter converter) : TaskOrchestrationContext
{
    private readonly List<HistoryEvent> _pendingActions = [];
    private readonly Dictionary<int, OpenTask> _openTasks = [];
    private readonly Dictionary<string, Queue<string?>> _bufferedEvents = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, LinkedList<TaskCompletionSource<string?>>> _eventWaiters = new(StringComparer.OrdinalIgnoreCase);
    private readonly List<HistoryEvent> _heldWhileSuspended = [];
    private int _sequence;
    private int _guidCounter;
    private string? _input;
    private string _name = string.Empty;
    private bool _replaying = true;
    private DateTime _now;
    private (object? Input, bool Preserve)? _continueAsNew;

    public override TaskName Name => _name;

    public override string InstanceId => instanceId;

    public override bool IsReplaying => _replaying;

    public override DateTime CurrentUtcDateTime => _now;

    public string? CustomStatus { get; private set; }

    public bool IsSuspended { get; private set; }

    public ParentInstance? Parent { get; private set; }

    public string? ExecutionId { get; private set; }

    public DateTime? ScheduledAt { get; private set; }

    public IReadOnlyList<HistoryEvent> PendingActions => _pendingActions;

    public (object? Input, bool Preserve)? ContinueAsNewRequest => _continueAsNew;

    public void SetReplaying(bool replaying) => _replaying = replaying;

    public override T? GetInput<T>() where T : default => converter.Deserialize<T>(_input);

    public string? SerializedInput => _input;

    public override async Task<TResult> CallActivityAsync<TResult>(TaskName name, object? input = null, TaskOptions? options = null)
    {
        var serialized = converter.Serialize(input);
        var raw = await WithRetryAsync(options?.Retry, () => Schedule(new HistoryEvent
        {
            Type = HistoryEventType.TaskScheduled,
            EventId = _sequence++,
            Name = name.Name,
            Input = serialized,
        }));
        return converter.Deserialize<TResult>(raw)!;
    }

    public override async Task<TResult> CallSubOrchestratorAsync<TResult>(TaskName orchestratorName, object? input = null, TaskOptions? options = null)
    {
        var serialized = converter.Serialize(input);
        var raw = await WithRetryAsync(options?.Retry, () => Schedule(new HistoryEvent
        {
            Type = HistoryEventType.SubOrchestrationInstanceCreated,
            EventId = _sequence++,
            Name = orchestratorName.Name,
            Input = serialized,
            InstanceId = (options as SubOrchestrationOptions)?.InstanceId ?? NewGuid().ToString("N"),
        }));
        return converter.Deserialize<TResult>(raw)!;
    }

    public override Task CreateTimer(DateTime fireAt, CancellationToken cancellationToken)
    {
        var task = Schedule(new HistoryEvent
        {
            Type = HistoryEventType.TimerCreated,
            EventId = _sequence++,
            FireAt = DateTime.SpecifyKind(fireAt.ToUniversalTime(), DateTimeKind.Utc),
        }, out var source);
        if (cancellationToken.CanBeCanceled)
        {
            cancellationToken.Register(() => source.TrySetCanceled(cancellationToken));
        }

        return task;
    }

    public override async Task<T> WaitForExternalEvent<T>(string eventName, TimeSpan? timeout = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(eventName);
        if (_bufferedEvents.TryGetValue(eventName, out var buffered) && buffered.Count > 0)
        {
            return converter.Deserialize<T>(buffered.Dequeue())!;
        }

        var source = new TaskCompletionSource<string?>();
        if (!_eventWaiters.TryGetValue(eventName, out var waiters))
        {
            _eventWaiters[eventName] = waiters = new LinkedList<TaskCompletionSource<string?>>();
        }

        var node = waiters.AddLast(source);
        if (timeout is null || timeout == Timeout.InfiniteTimeSpan)
        {
            return converter.Deserialize<T>(await source.Task)!;
        }

        using var cancelTimer = new CancellationTokenSource();
        var timer = CreateTimer(_now.Add(timeout.Value), cancelTimer.Token);
        var winner = await Task.WhenAny(source.Task, timer);
        if (winner == source.Task)
        {
            // Synchronously: CancelAsync would resume this orchestrator on the thread pool, outside the
            // single-threaded replay, after the episode has already been judged idle.
#pragma warning disable CA1849 // Call async methods when in an async method
            cancelTimer.Cancel();
#pragma warning restore CA1849
            return converter.Deserialize<T>(await source.Task)!;
        }

        if (node.List is not null)
        {
            waiters.Remove(node);
        }

        throw new TaskCanceledException($"Instance '{instanceId}' waited {timeout} for event '{eventName}', which did not arrive.");
    }

    public override void SendEvent(string instanceId, string eventName, object? payload)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(instanceId);
        ArgumentException.ThrowIfNullOrWhiteSpace(eventName);
        _pendingActions.Add(new HistoryEvent
        {
            Type = HistoryEventType.EventSent,
            EventId = _sequence++,
            InstanceId = instanceId,
            Name = eventName,
            Input = converter.Serialize(payload),
        });
    }

    public override void SetCustomStatus(object? customStatus) => CustomStatus = converter.Serialize(customStatus);

    public override void ContinueAsNew(object? newInput = null, bool preserveUnprocessedEvents = true) =>
        _continueAsNew = (newInput, preserveUnprocessedEvents);

    public override Guid NewGuid() =>
        DeterministicGuid.Create(string.Create(CultureInfo.InvariantCulture, $"{instanceId}_{_now:o}_{_guidCounter++}"));

    public override ILogger CreateReplaySafeLogger(ILogger logger) => new ReplaySafeLogger(logger, () => _replaying);

    /// <summary>The events raised but never waited for (carried over by continue-as-new).</summary>
    public IEnumerable<HistoryEvent> UnprocessedEvents() =>
        _bufferedEvents.SelectMany(pair => pair.Value.Select(payload => new HistoryEvent
        {
            Type = HistoryEventType.EventRaised,
            Name = pair.Key,
            Input = payload,
        })).Concat(_heldWhileSuspended.Where(e => e.Type == HistoryEventType.EventRaised));

    /// <summary>Applies one history event; returns <c>true</c> when it started the orchestrator.</summary>
    public void Apply(HistoryEvent e, Action<HistoryEvent> start)
    {
        if (IsSuspended && e.Type is HistoryEventType.TaskCompleted or HistoryEventType.TaskFailed or HistoryEventType.TimerFired
            or HistoryEventType.SubOrchestrationInstanceCompleted or HistoryEventType.SubOrchestrationInstanceFailed or HistoryEventType.EventRaised)
        {
            _heldWhileSuspended.Add(e);
            return;
        }

        switch (e.Type)
        {
            case HistoryEventType.OrchestratorStarted:
                _now = e.Timestamp;
                break;
            case HistoryEventType.ExecutionStarted:
                _name = e.Name ?? string.Empty;
                _input = e.Input;
                Parent = e.Parent;
                ExecutionId = e.ExecutionId;
                ScheduledAt = e.ScheduledAt;
                start(e);
                break;
            case HistoryEventType.TaskScheduled or HistoryEventType.TimerCreated
                or HistoryEventType.SubOrchestrationInstanceCreated or HistoryEventType.EventSent:
                MatchAction(e);
                break;
            case HistoryEventType.TaskCompleted or HistoryEventType.SubOrchestrationInstanceCompleted or HistoryEventType.TimerFired:
                if (_openTasks.Remove(e.TaskScheduledId, out var completed))
                {
                    completed.Source.TrySetResult(e.Result);
                }

                break;
            case HistoryEventType.TaskFailed or HistoryEventType.SubOrchestrationInstanceFailed:
                if (_openTasks.Remove(e.TaskScheduledId, out var failed))
                {
                    var failure = e.Failure ?? new FailureDetails("Unknown", "The task failed without details.");
                    failed.Source.TrySetException(new TaskFailedException(failed.Name, e.TaskScheduledId, failure with { TaskName = failure.TaskName ?? failed.Name }));
                }

                break;
            case HistoryEventType.EventRaised:
                DeliverEvent(e);
                break;
            case HistoryEventType.ExecutionSuspended:
                IsSuspended = true;
                break;
            case HistoryEventType.ExecutionResumed:
                IsSuspended = false;
                var held = _heldWhileSuspended.ToList();
                _heldWhileSuspended.Clear();
                foreach (var h in held)
                {
                    Apply(h, start);
                }

                break;
            default:
                break;
        }
    }

    /// <summary>Whether an event completes something this instance still waits for (or buffers a raised event).</summary>
    public bool IsAwaiting(int taskScheduledId) => _openTasks.ContainsKey(taskScheduledId);

    private void DeliverEvent(HistoryEvent e)
    {
        var name = e.Name ?? string.Empty;
        if (_eventWaiters.TryGetValue(name, out var waiters) && waiters.First is { } first)
        {
            waiters.RemoveFirst();
            first.Value.TrySetResult(e.Input);
            return;
        }

        if (!_bufferedEvents.TryGetValue(name, out var queue))
        {
            _bufferedEvents[name] = queue = new Queue<string?>();
        }

        queue.Enqueue(e.Input);
    }

    private void MatchAction(HistoryEvent recorded)
    {
        var index = _pendingActions.FindIndex(a => a.EventId == recorded.EventId);
        if (index < 0)
        {
            var next = _pendingActions.Count == 0 ? "nothing (it returned or is waiting)" : _pendingActions[0].ToString();
            throw new NonDeterministicOrchestrationException(
                $"Non-deterministic orchestrator '{_name}' (instance '{instanceId}'): its history expects {recorded}, but the replayed code scheduled {next}.");
        }

        var actual = _pendingActions[index];
        if (actual.Type != recorded.Type || !string.Equals(actual.Name, recorded.Name, StringComparison.OrdinalIgnoreCase))
        {
            throw new NonDeterministicOrchestrationException(
                $"Non-deterministic orchestrator '{_name}' (instance '{instanceId}'): its history expects {recorded}, but the replayed code scheduled {actual}.");
        }

        _pendingActions.RemoveAt(index);
    }

    private Task<string?> Schedule(HistoryEvent action) => Schedule(action, out _);

    private Task<string?> Schedule(HistoryEvent action, out TaskCompletionSource<string?> source)
    {
        source = new TaskCompletionSource<string?>();
        _pendingActions.Add(action);
        _openTasks[action.EventId] = new OpenTask(action.Name ?? action.Type.ToString(), source);
        return source.Task;
    }

    private async Task<string?> WithRetryAsync(RetryPolicy? policy, Func<Task<string?>> attempt)
    {
        if (policy is null)
        {
            return await attempt();
        }

        var firstAttemptAt = _now;
        for (var number = 1; ; number++)
        {
            try
            {
                return await attempt();
            }
            catch (TaskFailedException e)
            {
                var delay = policy.NextDelay(number, e.FailureDetails, firstAttemptAt, _now);
                if (delay is null)
                {
                    throw;
                }

                await CreateTimer(_now.Add(delay.Value), CancellationToken.None);
            }
        }
    }

    private sealed record OpenTask(string Name, TaskCompletionSource<string?> Source);
}
