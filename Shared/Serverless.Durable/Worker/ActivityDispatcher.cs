using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Serverless.Durable.Storage;
using Serverless.Storage;

namespace Serverless.Durable.Worker;

/// <summary>
/// Runs activities from the shared work-item queue (any host may run any activity). While an activity runs,
/// its message stays hidden (visibility renewed every third of the timeout); if the host dies the message
/// reappears and the activity runs again elsewhere, so activities are at-least-once. The result goes to the
/// instance's control queue before the work item is deleted.
/// </summary>
internal sealed class ActivityDispatcher(
    TaskHubStorage storage,
    DurableTaskRegistry registry,
    IServiceScopeFactory scopes,
    DataConverter converter,
    DurableTaskOptions options,
    ILogger logger)
{
    private readonly string _queue = storage.Names.WorkItemQueue;

    /// <summary>Activities this worker ran to an outcome (for diagnostics and tests).</summary>
    public long CompletedCount => Interlocked.Read(ref _completed);

    private long _completed;

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var max = Math.Max(1, options.MaxConcurrentActivityFunctions);
        using var slots = new SemaphoreSlim(max, max);
        var running = new HashSet<Task>();
        var delay = new AdaptivePollingDelay(options.MaxQueuePollingInterval);
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                await slots.WaitAsync(cancellationToken).ConfigureAwait(false);
                var free = 1;
                while (free < 32 && slots.Wait(0, CancellationToken.None))
                {
                    free++;
                }

                IReadOnlyList<QueueMessage> batch;
                try
                {
                    batch = await storage.Queues.ReceiveAsync(_queue, free, options.StorageProvider.WorkItemQueueVisibilityTimeout, cancellationToken).ConfigureAwait(false);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    DurableLog.PollFailed(logger, _queue, e);
                    batch = [];
                }

                if (free > batch.Count)
                {
                    slots.Release(free - batch.Count);
                }

                if (batch.Count == 0)
                {
                    await storage.WakeUps.WaitAsync(_queue, delay.Next(), cancellationToken).ConfigureAwait(false);
                    continue;
                }

                delay.Reset();
                foreach (var message in batch)
                {
                    var task = Task.Run(async () =>
                    {
                        try
                        {
                            await ExecuteAsync(message, cancellationToken).ConfigureAwait(false);
                        }
                        finally
                        {
                            slots.Release();
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

    private async Task ExecuteAsync(QueueMessage raw, CancellationToken cancellationToken)
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

        var scheduled = message.Event!;
        using var renewal = new WorkItemRenewal(storage.Queues, _queue, raw, options.StorageProvider.WorkItemQueueVisibilityTimeout);
        HistoryEvent outcome;
        try
        {
            outcome = await RunActivityAsync(message, scheduled, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            await renewal.StopAsync().ConfigureAwait(false);
            await renewal.AbandonAsync().ConfigureAwait(false);
            return;
        }

        try
        {
            await renewal.StopAsync().ConfigureAwait(false);
            await storage.SendToInstanceAsync(new TaskMessage(message.InstanceId, message.ExecutionId, outcome), null, cancellationToken).ConfigureAwait(false);
            await storage.Queues.DeleteAsync(_queue, raw.MessageId, renewal.PopReceipt, cancellationToken).ConfigureAwait(false);
            Interlocked.Increment(ref _completed);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            DurableLog.ActivityFailed(logger, raw.MessageId, e);
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

        try
        {
            var input = converter.Deserialize(scheduled.Input, activity!.InputType);
            var output = await activity.RunAsync(new TaskActivityContext(name, message.InstanceId, cancellationToken), input).ConfigureAwait(false);
            return new HistoryEvent { Type = HistoryEventType.TaskCompleted, TaskScheduledId = scheduled.EventId, Result = converter.Serialize(output) };
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested)
        {
            return Failed(scheduled, FailureDetails.FromException(e, name));
        }
    }

    private static HistoryEvent Failed(HistoryEvent scheduled, FailureDetails failure) =>
        new() { Type = HistoryEventType.TaskFailed, TaskScheduledId = scheduled.EventId, Failure = failure };

    private async Task DeadLetterAsync(QueueMessage raw, TaskMessage? message, string reason, CancellationToken cancellationToken)
    {
        var text = $"Work item '{raw.MessageId}' (activity '{message?.Event?.Name ?? "unknown"}') of instance '{message?.InstanceId ?? "unknown"}' was moved to the dead-letter table '{storage.Names.DeadLetterTable}' because {reason}.";
        await storage.DeadLetters.AddAsync(_queue, raw, message?.InstanceId, text, cancellationToken).ConfigureAwait(false);
        DurableLog.DeadLettered(logger, raw.MessageId, _queue, text);
        if (message?.Event is { } scheduled)
        {
            var failure = new FailureDetails("PoisonMessage", text, TaskName: scheduled.Name);
            await storage.SendToInstanceAsync(new TaskMessage(message.InstanceId, message.ExecutionId, Failed(scheduled, failure)), null, cancellationToken).ConfigureAwait(false);
        }

        await storage.Queues.DeleteAsync(_queue, raw.MessageId, raw.PopReceipt, cancellationToken).ConfigureAwait(false);
    }
}
