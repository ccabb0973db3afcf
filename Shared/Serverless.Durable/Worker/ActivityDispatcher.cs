using System.Diagnostics;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Serverless.Durable.Storage;
using Serverless.Durable.Telemetry;
using Serverless.Storage;

namespace Serverless.Durable.Worker;

/// <summary>
/// Runs activities from the shared work-item queue (any host may run any activity). While an activity runs,
/// its message stays hidden (visibility renewed every third of the timeout); if the host dies the message
/// reappears and the activity runs again elsewhere, so activities are at-least-once. A work item may carry several
/// activities of one episode; every result goes to the instance's control queue before the work item is deleted.
/// </summary>
internal sealed class ActivityDispatcher(
    TaskHubStorage storage,
    DurableTaskRegistry registry,
    IServiceScopeFactory scopes,
    DataConverter converter,
    DurableTaskOptions options,
    ActivityResultSender results,
    ILogger logger)
{
    private readonly string _queue = storage.Names.WorkItemQueue;

    /// <summary>Activities this worker ran to an outcome (for diagnostics and tests).</summary>
    public long CompletedCount => Interlocked.Read(ref _completed);

    private long _completed;

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var max = Math.Max(1, options.MaxConcurrentActivityFunctions);
        using var activitySlots = new SemaphoreSlim(max, max);
        using var capacityFreed = new SemaphoreSlim(0);
        var running = new HashSet<Task>();
        var delay = new AdaptivePollingDelay(options.MaxQueuePollingInterval);
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                // Fetch about as many work items as free activity slots can take (a work item may carry up to
                // workItemBatchSize activities; the last one seen sets the estimate), so other hosts get the rest.
                var free = max - (int)Interlocked.Read(ref _inFlight);
                if (free <= 0)
                {
                    await capacityFreed.WaitAsync(cancellationToken).ConfigureAwait(false);
                    continue;
                }

                var count = Math.Clamp(free / Math.Max(1, Volatile.Read(ref _activitiesPerWorkItem)), 1, 32);
                IReadOnlyList<QueueMessage> batch;
                try
                {
                    batch = await storage.Queues.ReceiveAsync(_queue, count, options.StorageProvider.WorkItemQueueVisibilityTimeout, cancellationToken).ConfigureAwait(false);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    DurableLog.PollFailed(logger, _queue, e);
                    batch = [];
                }

                if (batch.Count == 0)
                {
                    await storage.WakeUps.WaitAsync(_queue, delay.Next(), cancellationToken).ConfigureAwait(false);
                    continue;
                }

                delay.Reset();
                foreach (var message in batch)
                {
                    Interlocked.Increment(ref _inFlight);
                    var task = Task.Run(async () =>
                    {
                        try
                        {
                            await ExecuteAsync(message, activitySlots, cancellationToken).ConfigureAwait(false);
                        }
                        finally
                        {
                            Interlocked.Decrement(ref _inFlight);
                            capacityFreed.Release();
                        }
                    }, CancellationToken.None);
                    lock (running)
                    {
                        running.Add(task);
                    }

                    _ = task.ContinueWith(t => { lock (running) { running.Remove(t); } }, TaskScheduler.Default);
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }

        Task[] remaining;
        lock (running)
        {
            remaining = [.. running];
        }

        await Task.WhenAll(remaining).ConfigureAwait(false);
    }

    private long _inFlight;
    private int _activitiesPerWorkItem = 1;

    private async Task ExecuteAsync(QueueMessage raw, SemaphoreSlim activitySlots, CancellationToken cancellationToken)
    {
        var maxDequeue = options.StorageProvider.MaxDequeueCount;
        TaskMessage message;
        try
        {
            message = TaskMessageCodec.ReadEnvelope(raw.Body);
        }
        catch (JsonException e)
        {
            if (raw.DequeueCount >= maxDequeue)
            {
                await DeadLetterAsync(raw, null, $"it is not a task message ({e.Message})", cancellationToken).ConfigureAwait(false);
            }

            return;
        }

        if (raw.DequeueCount > maxDequeue)
        {
            await DeadLetterAsync(raw, message, $"it was dequeued {raw.DequeueCount} times without completing (the activity may crash its host)", cancellationToken).ConfigureAwait(false);
            return;
        }

        try
        {
            message = await storage.Codec.LoadPayloadAsync(message, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException && raw.DequeueCount >= maxDequeue)
        {
            await DeadLetterAsync(raw, message, $"its payload could not be read ({e.Message})", cancellationToken).ConfigureAwait(false);
            return;
        }

        // A batched work item: its activities run concurrently (within the activity slots) and each result is
        // sent as soon as it is ready; the work item is deleted once every result is in the control queue. A crash
        // before that runs the whole item again (activities are at-least-once; the orchestration drops duplicates).
        using var renewal = new WorkItemRenewal(storage.Queues, _queue, raw, options.StorageProvider.WorkItemQueueVisibilityTimeout);
        Volatile.Write(ref _activitiesPerWorkItem, message.AllEvents.Count);
        var extra = message.AllEvents.Count - 1; // the dispatcher counted the work item as one activity
        Interlocked.Add(ref _inFlight, extra);
        bool[] outcomes;
        try
        {
            outcomes = await Task.WhenAll(message.Split().Select(part => RunAndReportAsync(part, activitySlots, cancellationToken))).ConfigureAwait(false);
        }
        finally
        {
            Interlocked.Add(ref _inFlight, -extra);
        }

        await renewal.StopAsync().ConfigureAwait(false);
        if (outcomes.Contains(false))
        {
            await renewal.AbandonAsync().ConfigureAwait(false);
            return;
        }

        try
        {
            await storage.Queues.DeleteAsync(_queue, raw.MessageId, renewal.PopReceipt, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            DurableLog.ActivityFailed(logger, raw.MessageId, e);
        }
    }

    /// <returns><c>true</c> when the activity ran to an outcome and its result is durable in the control queue.</returns>
    private async Task<bool> RunAndReportAsync(TaskMessage part, SemaphoreSlim activitySlots, CancellationToken cancellationToken)
    {
        HistoryEvent outcome;
        try
        {
            await activitySlots.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            return false;
        }

        try
        {
            outcome = await RunActivityAsync(part, part.Event!, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return false;
        }
        finally
        {
            activitySlots.Release();
        }

        try
        {
            await results.SendAsync(part.InstanceId, part.ExecutionId, outcome, cancellationToken).ConfigureAwait(false);
            Interlocked.Increment(ref _completed);
            return true;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            DurableLog.ActivityFailed(logger, part.InstanceId, e);
            return false;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    private async Task<HistoryEvent> RunActivityAsync(TaskMessage message, HistoryEvent scheduled, CancellationToken cancellationToken)
    {
        var name = scheduled.Name ?? string.Empty;
        await using var scope = scopes.CreateAsyncScope();
        if (!registry.TryCreateActivity(name, scope.ServiceProvider, out var activity))
        {
            return Failed(scheduled, new FailureDetails(typeof(InvalidOperationException).FullName!, $"No activity named '{name}' is registered with this worker.", TaskName: name));
        }

        var context = new TaskActivityContext(name, message.InstanceId, cancellationToken) { TraceParent = scheduled.TraceParent, TraceState = scheduled.TraceState };
        using var span = DurableSpans.StartActivity(context, scheduled.EventId);
        using var logScope = logger.BeginScope(new Dictionary<string, object?>
        {
            // Scopes are shared by the logger factory: the activity's own log lines carry these too.
            ["InstanceId"] = message.InstanceId,
            ["ActivityName"] = name,
            ["TaskId"] = scheduled.EventId,
            ["RunTraceId"] = context.TraceId,
        });
        var started = Stopwatch.GetTimestamp();
        var outcome = "failed";
        try
        {
            var input = converter.Deserialize(scheduled.Input, activity!.InputType);
            var output = await activity.RunAsync(context, input).ConfigureAwait(false);
            outcome = "completed";
            return new HistoryEvent { Type = HistoryEventType.TaskCompleted, TaskScheduledId = scheduled.EventId, Result = converter.Serialize(output) };
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested)
        {
            var failure = FailureDetails.FromException(e, name);
            DurableSpans.Failed(span, failure);
            return Failed(scheduled, failure);
        }
        catch (OperationCanceledException)
        {
            outcome = "cancelled";
            throw;
        }
        finally
        {
            DurableTelemetry.ActivityDuration.Record(
                Stopwatch.GetElapsedTime(started).TotalMilliseconds,
                new KeyValuePair<string, object?>(DurableTelemetry.Tags.Activity, name),
                new KeyValuePair<string, object?>(DurableTelemetry.Tags.Outcome, outcome));
        }
    }

    private static HistoryEvent Failed(HistoryEvent scheduled, FailureDetails failure) =>
        new() { Type = HistoryEventType.TaskFailed, TaskScheduledId = scheduled.EventId, Failure = failure };

    private async Task DeadLetterAsync(QueueMessage raw, TaskMessage? message, string reason, CancellationToken cancellationToken)
    {
        var text = $"Work item '{raw.MessageId}' (activities '{string.Join("', '", message?.AllEvents.Select(e => e.Name) ?? ["unknown"])}') of instance '{message?.InstanceId ?? "unknown"}' was moved to the dead-letter table '{storage.Names.DeadLetterTable}' because {reason}.";
        await storage.DeadLetters.AddAsync(_queue, raw, message?.InstanceId, text, cancellationToken).ConfigureAwait(false);
        DurableLog.DeadLettered(logger, raw.MessageId, _queue, text);
        foreach (var part in message?.Split() ?? [])
        {
            var failure = new FailureDetails("PoisonMessage", text, TaskName: part.Event!.Name);
            await storage.SendToInstanceAsync(new TaskMessage(part.InstanceId, part.ExecutionId, Failed(part.Event, failure)), null, cancellationToken).ConfigureAwait(false);
        }

        await storage.Queues.DeleteAsync(_queue, raw.MessageId, raw.PopReceipt, cancellationToken).ConfigureAwait(false);
    }
}
