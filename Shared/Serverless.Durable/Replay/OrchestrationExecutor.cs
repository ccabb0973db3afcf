namespace Serverless.Durable.Replay;

/// <summary>
/// Runs an orchestrator over its past history (replaying) and then the new events, on one thread with
/// <see cref="OrchestrationSynchronizationContext"/>, and returns the events to append.
/// </summary>
internal static class OrchestrationExecutor
{
    /// <param name="createOrchestrator">Finds the orchestrator by name, or returns <c>null</c> when none is registered.</param>
    public static OrchestrationEpisode Execute(
        string instanceId,
        IReadOnlyList<HistoryEvent> past,
        IReadOnlyList<HistoryEvent> newEvents,
        Func<string, ITaskOrchestrator?> createOrchestrator,
        DataConverter converter)
    {
        ArgumentNullException.ThrowIfNull(past);
        ArgumentNullException.ThrowIfNull(newEvents);
        var context = new ReplayOrchestrationContext(instanceId, converter);
        var scheduler = new OrchestrationSynchronizationContext();
        var appended = new List<HistoryEvent>();
        Task<object?>? running = null;
        HistoryEvent? completion = null;
        var completedInHistory = false;
        var previous = SynchronizationContext.Current;
        SynchronizationContext.SetSynchronizationContext(scheduler);
        try
        {
            void Start(HistoryEvent started)
            {
                var orchestrator = createOrchestrator(started.Name ?? string.Empty);
                if (orchestrator is null)
                {
                    running = Task.FromException<object?>(new InvalidOperationException(
                        $"No orchestrator named '{started.Name}' is registered with this worker (instance '{instanceId}')."));
                    return;
                }

                running = RunAsync(orchestrator, context, converter);
            }

            void Step(HistoryEvent e)
            {
                if (e.Type == HistoryEventType.ExecutionCompleted)
                {
                    completedInHistory = true;
                    completion = e;
                    return;
                }

                if (e.Type == HistoryEventType.ExecutionTerminated)
                {
                    completion ??= Completed(context, e.Failure is null ? OrchestrationRuntimeStatus.Terminated : OrchestrationRuntimeStatus.Failed, e.Input, e.Failure);
                    return;
                }

                context.Apply(e, Start);
                scheduler.RunPending();
                if (completion is null && running is { IsCompleted: true })
                {
                    completion = Complete(context, running, converter);
                }
            }

            try
            {
                context.SetReplaying(true);
                foreach (var e in past)
                {
                    Step(e);
                }

                context.SetReplaying(false);
                var unapplied = new List<HistoryEvent>();
                foreach (var e in newEvents)
                {
                    if (completion is not null)
                    {
                        unapplied.Add(e);
                        continue;
                    }

                    appended.Add(e);
                    Step(e);
                }

                if (completion is { Status: OrchestrationRuntimeStatus.ContinuedAsNew, CarriedEvents: { } carried } && !completedInHistory)
                {
                    // Events that arrived in the same batch after the orchestrator continued as new go to the next execution.
                    completion = completion with { CarriedEvents = [.. carried, .. unapplied.Where(e => e.Type == HistoryEventType.EventRaised)] };
                }

                if (!completedInHistory)
                {
                    appended.AddRange(context.PendingActions.Select(a => a with { Timestamp = context.CurrentUtcDateTime }));
                }
            }
            catch (NonDeterministicOrchestrationException e)
            {
                appended.RemoveAll(a => a.EventId >= 0 && a.Type is HistoryEventType.TaskScheduled or HistoryEventType.TimerCreated
                    or HistoryEventType.SubOrchestrationInstanceCreated or HistoryEventType.EventSent);
                completion = Completed(context, OrchestrationRuntimeStatus.Failed, null, FailureDetails.FromException(e));
            }
        }
        finally
        {
            SynchronizationContext.SetSynchronizationContext(previous);
        }

        if (completion is not null && !completedInHistory)
        {
            appended.Add(completion);
        }

        var status = completion?.Status ?? (context.IsSuspended ? OrchestrationRuntimeStatus.Suspended : OrchestrationRuntimeStatus.Running);
        return new OrchestrationEpisode(appended, status, context.CustomStatus, completedInHistory ? null : completion);
    }

    private static async Task<object?> RunAsync(ITaskOrchestrator orchestrator, ReplayOrchestrationContext context, DataConverter converter)
    {
        var input = converter.Deserialize(context.SerializedInput, orchestrator.InputType);
        return await orchestrator.RunAsync(context, input);
    }

    private static HistoryEvent Complete(ReplayOrchestrationContext context, Task<object?> running, DataConverter converter)
    {
        if (running.IsFaulted)
        {
            var exception = running.Exception!.InnerException ?? running.Exception;
            return Completed(context, OrchestrationRuntimeStatus.Failed, null, FailureDetails.FromException(exception));
        }

        if (running.IsCanceled)
        {
            return Completed(context, OrchestrationRuntimeStatus.Failed, null, new FailureDetails(typeof(TaskCanceledException).FullName!, "The orchestrator was canceled."));
        }

        if (context.ContinueAsNewRequest is { } next)
        {
            return Completed(context, OrchestrationRuntimeStatus.ContinuedAsNew, converter.Serialize(next.Input), null) with
            {
                CarriedEvents = next.Preserve ? context.UnprocessedEvents().ToList() : null,
            };
        }

        return Completed(context, OrchestrationRuntimeStatus.Completed, converter.Serialize(running.Result), null);
    }

    private static HistoryEvent Completed(ReplayOrchestrationContext context, OrchestrationRuntimeStatus status, string? result, FailureDetails? failure) => new()
    {
        Type = HistoryEventType.ExecutionCompleted,
        Timestamp = context.CurrentUtcDateTime,
        Status = status,
        Result = result,
        Failure = failure,
        Parent = context.Parent,
        ExecutionId = context.ExecutionId,
        Name = context.Name.Name,
        ScheduledAt = context.ScheduledAt,
    };
}
