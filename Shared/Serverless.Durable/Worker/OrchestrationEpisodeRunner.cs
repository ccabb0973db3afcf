using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Serverless.Durable.Replay;
using Serverless.Durable.Storage;
using Serverless.Durable.Telemetry;
using Serverless.Storage;

namespace Serverless.Durable.Worker;

/// <summary>
/// Runs one episode of an instance: sorts its messages (apply, drop as duplicate or stale, or defer until
/// what they answer is in history), replays the orchestrator, and checkpoints in the order that survives a
/// crash anywhere: (1) send outbound messages, (2) append history under the sentinel's ETag,
/// (3) update the instance row, (4) delete the processed messages.
/// </summary>
internal sealed class OrchestrationEpisodeRunner(
    TaskHubStorage storage,
    DurableTaskRegistry registry,
    IServiceScopeFactory scopes,
    DataConverter converter,
    DurableTaskOptions options,
    ILogger logger)
{
    /// <returns>The state to cache (<c>null</c> when it must be reloaded) and the messages to keep for a later episode.</returns>
    public async Task<(OrchestrationState? State, IReadOnlyList<ReceivedMessage> Deferred)> RunAsync(
        string instanceId, OrchestrationState? cached, IReadOnlyList<ReceivedMessage> messages, CancellationToken cancellationToken)
    {
        var began = Stopwatch.GetTimestamp();
        var state = cached;
        if (state is null)
        {
            var snapshot = await storage.History.LoadAsync(instanceId, cancellationToken).ConfigureAwait(false);
            state = new OrchestrationState(instanceId, snapshot.Events, snapshot.SentinelETag, snapshot.ExecutionId);
        }

        var now = DateTime.UtcNow;
        var plan = Plan(state, messages, now);
        var outbound = new List<(TaskMessage Message, TimeSpan? Delay, string? Queue)>(plan.ChainedTimers.Select(t => (t, Delay(t.Event!.FireAt, now), (string?)null)));
        if (plan.NewEvents.Count == 1 && plan.UnstartedFailure is null)
        {
            await SendAllAsync(outbound, cancellationToken).ConfigureAwait(false);
            await DeleteAllAsync(plan.Consumed, plan.Deferred, cancellationToken).ConfigureAwait(false);
            return (state, plan.Deferred);
        }

        if (plan.UnstartedFailure is { } failure)
        {
            // A poison message for an instance that never started: record the failure on its row.
            await storage.Instances.WriteCheckpointAsync(instanceId, null, OrchestrationRuntimeStatus.Failed, null, failure, cancellationToken).ConfigureAwait(false);
            storage.StatusChanges.Notify(instanceId, OrchestrationRuntimeStatus.Failed);
            await DeleteAllAsync(plan.Consumed, plan.Deferred, cancellationToken).ConfigureAwait(false);
            return (state, plan.Deferred);
        }

        var past = plan.Started is null ? state.History.ToList() : [];
        OrchestrationEpisode episode;
        using (var scope = scopes.CreateScope())
        {
            episode = OrchestrationExecutor.Execute(
                instanceId,
                past,
                plan.NewEvents,
                name => registry.TryCreateOrchestrator(name, scope.ServiceProvider, out var o) ? o : null,
                converter);
        }

        var executionId = plan.Started?.ExecutionId ?? state.ExecutionId ?? string.Empty;
        var started = plan.Started ?? state.History.FirstOrDefault(e => e.Type == HistoryEventType.ExecutionStarted);
        var name = started?.Name ?? string.Empty;
        var trace = started is null ? (OrchestrationTrace?)null : OrchestrationTrace.Of(instanceId, started);
        outbound.AddRange(Outbound(instanceId, executionId, name, started, trace, episode, now));
        outbound.AddRange(WorkItems(instanceId, executionId, trace, episode));

        // (1) outbound messages
        await SendAllAsync(outbound, cancellationToken).ConfigureAwait(false);

        // (2) history, guarded by the sentinel's ETag
        ETag etag;
        try
        {
            etag = await storage.History.AppendAsync(
                instanceId, state.SentinelETag, plan.Started is null ? state.History.Count : 0, episode.NewEvents, executionId, episode.RuntimeStatus, cancellationToken).ConfigureAwait(false);
        }
        catch (StorageConflictException)
        {
            DurableLog.CheckpointConflict(logger, instanceId);
            return (null, []);
        }

        if (plan.Started is not null)
        {
            state.BeginExecution(executionId);
        }

        state.Append(episode.NewEvents);
        state.SentinelETag = etag;

        // (3) instance row
        await storage.Instances.WriteCheckpointAsync(instanceId, plan.Started, episode.RuntimeStatus, episode.CustomStatus, episode.Completion, cancellationToken).ConfigureAwait(false);
        Observe(instanceId, name, plan.Started, started, episode, began);
        storage.StatusChanges.Notify(instanceId, episode.RuntimeStatus);

        // (4) processed messages: the checkpoint no longer needs them, so a failed delete is only logged (the message
        // comes back after its visibility timeout as a duplicate). Deleting in the background was measured slower:
        // the extra concurrent calls slow Azurite for everyone.
        await DeleteProcessedAsync(instanceId, plan.Consumed, plan.Deferred).ConfigureAwait(false);
        DurableLog.EpisodeCompleted(logger, instanceId, episode.NewEvents.Count, episode.RuntimeStatus);
        return (state, plan.Deferred);
    }

    /// <summary>Metrics of the checkpointed episode, and the orchestration's span when its execution ended.</summary>
    private static void Observe(string instanceId, string name, HistoryEvent? newlyStarted, HistoryEvent? started, OrchestrationEpisode episode, long began)
    {
        var orchestration = new KeyValuePair<string, object?>(DurableTelemetry.Tags.Orchestration, name);
        if (newlyStarted is not null)
        {
            DurableTelemetry.OrchestrationsStarted.Add(1, orchestration);
        }

        var status = new KeyValuePair<string, object?>(DurableTelemetry.Tags.Status, episode.RuntimeStatus.ToString());
        if (episode.Completion is { } completion)
        {
            DurableTelemetry.OrchestrationsCompleted.Add(1, orchestration, status);
            if (started is not null)
            {
                DurableSpans.EmitOrchestration(instanceId, name, started, completion, DateTime.UtcNow);
            }
        }

        DurableTelemetry.EpisodeDuration.Record(Stopwatch.GetElapsedTime(began).TotalMilliseconds, orchestration, status);
    }

    private sealed record EpisodePlan(
        List<HistoryEvent> NewEvents,
        List<ReceivedMessage> Consumed,
        List<ReceivedMessage> Deferred,
        List<TaskMessage> ChainedTimers,
        HistoryEvent? Started,
        HistoryEvent? UnstartedFailure);

    private static EpisodePlan Plan(OrchestrationState state, IReadOnlyList<ReceivedMessage> messages, DateTime now)
    {
        var plan = new EpisodePlan([new HistoryEvent { Type = HistoryEventType.OrchestratorStarted, Timestamp = now }], [], [], [], null, null);
        HistoryEvent? started = null;
        HistoryEvent? unstartedFailure = null;
        var applied = new HashSet<int>();
        foreach (var message in messages.OrderBy(m => m.Event.Type == HistoryEventType.ExecutionStarted ? 0 : 1))
        {
            var e = message.Event;
            if (e.Type == HistoryEventType.ExecutionStarted)
            {
                var isNew = started is null && (!state.IsStarted || (state.Completion is not null && e.ExecutionId != state.ExecutionId));
                if (isNew)
                {
                    started = e with { CarriedEvents = null, Timestamp = now };
                    plan.NewEvents.Add(started);
                    plan.NewEvents.AddRange((e.CarriedEvents ?? []).Select(c => c with { Timestamp = now }));
                }

                plan.Consumed.Add(message);
                continue;
            }

            if (started is null && !state.IsStarted)
            {
                if (e.Type == HistoryEventType.ExecutionTerminated && e.Failure is not null)
                {
                    unstartedFailure ??= new HistoryEvent { Type = HistoryEventType.ExecutionCompleted, Status = OrchestrationRuntimeStatus.Failed, Failure = e.Failure, Timestamp = now };
                    plan.Consumed.Add(message);
                }
                else
                {
                    plan.Deferred.Add(message);
                }

                continue;
            }

            if (started is null && state.Completion is { } completion)
            {
                (completion.Status == OrchestrationRuntimeStatus.ContinuedAsNew ? plan.Deferred : plan.Consumed).Add(message);
                continue;
            }

            var currentExecution = started?.ExecutionId ?? state.ExecutionId;
            if (message.Message.ExecutionId is { } executionId && executionId != currentExecution)
            {
                plan.Consumed.Add(message); // for an older execution
                continue;
            }

            if (e.Type is HistoryEventType.TaskCompleted or HistoryEventType.TaskFailed or HistoryEventType.TimerFired
                or HistoryEventType.SubOrchestrationInstanceCompleted or HistoryEventType.SubOrchestrationInstanceFailed)
            {
                if (started is not null || state.IsCompleted(e.TaskScheduledId) || applied.Contains(e.TaskScheduledId))
                {
                    plan.Consumed.Add(message); // duplicate
                }
                else if (!state.IsScheduled(e.TaskScheduledId))
                {
                    plan.Deferred.Add(message); // arrived before its scheduling was committed
                }
                else if (e.Type == HistoryEventType.TimerFired && e.FireAt > now.AddMilliseconds(20))
                {
                    plan.ChainedTimers.Add(message.Message); // a long timer: wait another leg
                    plan.Consumed.Add(message);
                }
                else
                {
                    applied.Add(e.TaskScheduledId);
                    plan.NewEvents.Add(e with { Timestamp = now });
                    plan.Consumed.Add(message);
                }

                continue;
            }

            plan.NewEvents.Add(e with { Timestamp = now });
            plan.Consumed.Add(message);
        }

        return plan with { Started = started, UnstartedFailure = unstartedFailure };
    }

    private IEnumerable<(TaskMessage, TimeSpan?, string?)> Outbound(string instanceId, string executionId, string name, HistoryEvent? started, OrchestrationTrace? trace, OrchestrationEpisode episode, DateTime now)
    {
        foreach (var e in episode.NewEvents)
        {
            switch (e.Type)
            {
                case HistoryEventType.TimerCreated:
                    yield return (new TaskMessage(instanceId, executionId, new HistoryEvent
                    {
                        Type = HistoryEventType.TimerFired,
                        TaskScheduledId = e.EventId,
                        FireAt = e.FireAt,
                    }), Delay(e.FireAt, now), null);
                    break;
                case HistoryEventType.SubOrchestrationInstanceCreated:
                    var childExecution = DeterministicGuid.Create($"{instanceId}:{executionId}:{e.EventId}").ToString("N");
                    var childStart = new HistoryEvent
                    {
                        Type = HistoryEventType.ExecutionStarted,
                        Name = e.Name,
                        Input = e.Input,
                        ExecutionId = childExecution,
                        Parent = new ParentInstance(instanceId, executionId, e.EventId, name),
                        ScheduledAt = now,
                        Timestamp = now,
                    };
                    yield return (new TaskMessage(e.InstanceId!, childExecution, trace?.Stamp(childStart) ?? childStart), null, null);
                    break;
                case HistoryEventType.EventSent:
                    yield return (new TaskMessage(e.InstanceId!, null, new HistoryEvent { Type = HistoryEventType.EventRaised, Name = e.Name, Input = e.Input }), null, null);
                    break;
                case HistoryEventType.ExecutionCompleted when e.Status == OrchestrationRuntimeStatus.ContinuedAsNew:
                    var nextExecution = DeterministicGuid.Create($"{instanceId}:{executionId}:continue").ToString("N");
                    yield return (new TaskMessage(instanceId, nextExecution, new HistoryEvent
                    {
                        Type = HistoryEventType.ExecutionStarted,
                        Name = name,
                        Input = e.Result,
                        ExecutionId = nextExecution,
                        Parent = e.Parent,
                        ScheduledAt = e.ScheduledAt,
                        CarriedEvents = e.CarriedEvents,
                        TraceParent = started?.TraceParent, // the next execution joins the same caller's trace
                        TraceState = started?.TraceState,
                        Timestamp = now,
                    }), null, null);
                    break;
                case HistoryEventType.ExecutionCompleted when e.Parent is { } parent:
                    yield return (new TaskMessage(parent.InstanceId, parent.ExecutionId, new HistoryEvent
                    {
                        Type = e.Status == OrchestrationRuntimeStatus.Completed ? HistoryEventType.SubOrchestrationInstanceCompleted : HistoryEventType.SubOrchestrationInstanceFailed,
                        TaskScheduledId = parent.TaskScheduledId,
                        Result = e.Result,
                        Failure = e.Status == OrchestrationRuntimeStatus.Completed ? null
                            : e.Failure ?? new FailureDetails("Terminated", $"Sub-orchestration '{instanceId}' was {e.Status}: {e.Result}", TaskName: name),
                    }), null, null);
                    break;
                default:
                    break;
            }
        }
    }

    /// <summary>The episode's scheduled activities, up to workItemBatchSize per work-item message, each carrying the orchestration's trace context.</summary>
    private IEnumerable<(TaskMessage, TimeSpan?, string?)> WorkItems(string instanceId, string executionId, OrchestrationTrace? trace, OrchestrationEpisode episode) =>
        episode.NewEvents
            .Where(e => e.Type == HistoryEventType.TaskScheduled)
            .Select(e => trace?.Stamp(e) ?? e)
            .Chunk(Math.Max(1, options.StorageProvider.WorkItemBatchSize))
            .Select(chunk => (TaskMessage.Batch(instanceId, executionId, chunk), (TimeSpan?)null, (string?)storage.Names.WorkItemQueue));

    private TimeSpan? Delay(DateTime? fireAt, DateTime now)
    {
        if (fireAt is not { } at || at <= now)
        {
            return null;
        }

        // Queue visibility delays have whole-second precision: round up so a timer never fires early.
        var delay = TimeSpan.FromSeconds(Math.Ceiling((at - now).TotalSeconds));
        return delay > options.StorageProvider.MaxTimerMessageDelay ? options.StorageProvider.MaxTimerMessageDelay : delay;
    }

    private async Task SendAllAsync(List<(TaskMessage Message, TimeSpan? Delay, string? Queue)> outbound, CancellationToken cancellationToken) =>
        await Parallel.ForEachAsync(
            outbound,
            new ParallelOptions { MaxDegreeOfParallelism = 16, CancellationToken = cancellationToken },
            async (item, ct) => await storage.SendAsync(item.Queue ?? storage.Names.ControlQueueOf(item.Message.InstanceId), item.Message, item.Delay, ct).ConfigureAwait(false)).ConfigureAwait(false);

    private async Task DeleteProcessedAsync(string instanceId, List<ReceivedMessage> consumed, List<ReceivedMessage> deferred)
    {
        try
        {
            await DeleteAllAsync(consumed, deferred, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            DurableLog.DeleteProcessedFailed(logger, instanceId, e);
        }
    }

    /// <summary>
    /// Deletes the queue messages whose events were all processed. A batch message with an event still deferred
    /// stays (hidden) until that event is processed too; after a crash its processed events come back as duplicates.
    /// </summary>
    private async Task DeleteAllAsync(List<ReceivedMessage> consumed, List<ReceivedMessage> deferred, CancellationToken cancellationToken)
    {
        var held = deferred.Select(m => m.Raw.MessageId).ToHashSet(StringComparer.Ordinal);
        var deletable = consumed.Where(m => !held.Contains(m.Raw.MessageId)).DistinctBy(m => m.Raw.MessageId).ToList();
        await Parallel.ForEachAsync(
            deletable,
            new ParallelOptions { MaxDegreeOfParallelism = 16, CancellationToken = cancellationToken },
            async (m, ct) => await storage.Queues.DeleteAsync(m.Queue, m.Raw.MessageId, m.Raw.PopReceipt, ct).ConfigureAwait(false)).ConfigureAwait(false);
    }
}
