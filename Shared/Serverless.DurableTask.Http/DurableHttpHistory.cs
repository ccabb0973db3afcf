using DurableTask.Core;
using DurableTask.Core.History;

namespace Serverless.DurableTask.Http;

/// <summary>
/// An orchestration's history (the Durable Task Framework's events) in Durable Functions' <c>historyEvents</c>
/// shape. The replay bookkeeping (<c>OrchestratorStarted</c>, <c>OrchestratorCompleted</c>, generic and state
/// events) is left out, as Durable Functions does; a completion names the activity or sub-orchestration it
/// completes and when that was scheduled.
/// </summary>
public static class DurableHttpHistory
{
    /// <param name="history">The events in order, as <c>DurableTaskClient.GetOrchestrationHistoryAsync</c> returns them.</param>
    /// <param name="showOutput">Whether inputs and results are shown (<c>showHistoryOutput</c>).</param>
    public static IReadOnlyList<HistoryEventResponse> ToResponses(IEnumerable<HistoryEvent> history, bool showOutput)
    {
        ArgumentNullException.ThrowIfNull(history);
        var events = history.ToList();
        var scheduled = new Dictionary<int, HistoryEvent>();
        foreach (var e in events.Where(e => e is TaskScheduledEvent or SubOrchestrationInstanceCreatedEvent && e.EventId >= 0))
        {
            scheduled[e.EventId] = e;
        }

        return [.. events.Where(IsShown).Select(e => ToResponse(e, scheduled, showOutput))];
    }

    private static bool IsShown(HistoryEvent e) =>
        e is not (OrchestratorStartedEvent or OrchestratorCompletedEvent or GenericEvent or HistoryStateEvent);

    private static HistoryEventResponse ToResponse(HistoryEvent e, Dictionary<int, HistoryEvent> scheduled, bool showOutput)
    {
        var scheduledId = ScheduledId(e);
        var origin = scheduledId is int id && scheduled.TryGetValue(id, out var found) ? found : null;
        var originName = origin is null ? null : NameOf(origin);
        return new HistoryEventResponse(e.EventType.ToString(), e.Timestamp)
        {
            FunctionName = NameOf(e) ?? originName,
            EventId = e.EventId >= 0 ? e.EventId : scheduledId,
            FireAt = e switch
            {
                TimerCreatedEvent timer => timer.FireAt,
                TimerFiredEvent fired => fired.FireAt,
                _ => null,
            },
            ScheduledTime = e is ExecutionStartedEvent started ? started.ScheduledStartTime : origin?.Timestamp,
            Input = showOutput ? DurableHttpResponses.Parse(InputOf(e)) : null,
            Result = showOutput ? DurableHttpResponses.Parse(ResultOf(e)) : null,
            OrchestrationStatus = e is ExecutionCompletedEvent completed ? completed.OrchestrationStatus.ToString() : null,
            FailureDetails = FailureOf(e) is { } failure ? ToResponse(failure, originName) : null,
        };
    }

    /// <summary>The id of the activity, sub-orchestration or timer a completion answers.</summary>
    private static int? ScheduledId(HistoryEvent e) => e switch
    {
        TaskCompletedEvent c => c.TaskScheduledId,
        TaskFailedEvent f => f.TaskScheduledId,
        SubOrchestrationInstanceCompletedEvent c => c.TaskScheduledId,
        SubOrchestrationInstanceFailedEvent f => f.TaskScheduledId,
        TimerFiredEvent t => t.TimerId,
        _ => -1,
    } is var id && id >= 0 ? id : null;

    private static string? NameOf(HistoryEvent e) => e switch
    {
        ExecutionStartedEvent s => s.Name,
        TaskScheduledEvent s => s.Name,
        SubOrchestrationInstanceCreatedEvent s => s.Name,
        EventRaisedEvent r => r.Name,
        EventSentEvent s => s.Name,
        _ => null,
    };

    /// <summary>Inputs, event payloads, and the reasons of terminate, suspend and resume; never the orchestration's own input.</summary>
    private static string? InputOf(HistoryEvent e) => e switch
    {
        TaskScheduledEvent s => s.Input,
        SubOrchestrationInstanceCreatedEvent s => s.Input,
        EventRaisedEvent r => r.Input,
        EventSentEvent s => s.Input,
        ExecutionTerminatedEvent t => t.Input,
        ExecutionSuspendedEvent s => s.Reason,
        ExecutionResumedEvent r => r.Reason,
        _ => null,
    };

    private static string? ResultOf(HistoryEvent e) => e switch
    {
        TaskCompletedEvent c => c.Result,
        SubOrchestrationInstanceCompletedEvent c => c.Result,
        ExecutionCompletedEvent c => c.Result,
        _ => null,
    };

    private static FailureDetails? FailureOf(HistoryEvent e) => e switch
    {
        TaskFailedEvent f => f.FailureDetails,
        SubOrchestrationInstanceFailedEvent f => f.FailureDetails,
        ExecutionCompletedEvent c => c.FailureDetails,
        _ => null,
    };

    private static FailureDetailsResponse ToResponse(FailureDetails failure, string? taskName) => new(
        failure.ErrorType,
        failure.ErrorMessage,
        failure.StackTrace,
        failure.InnerFailure is { } inner ? ToResponse(inner, null) : null,
        taskName);
}
