using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Serverless.Durable.Storage;
using Serverless.Storage;

namespace Serverless.Durable.Worker;

/// <summary>
/// Reads one control queue (partition) while this host owns it: fetches messages in batches, groups them
/// by instance, and runs the instances' episodes concurrently (bounded by maxConcurrentOrchestratorFunctions).
/// Messages dequeued too often are dead-lettered and fail their instance.
/// </summary>
internal sealed class ControlQueueListener(
    int partition,
    TaskHubStorage storage,
    OrchestrationEpisodeRunner runner,
    SemaphoreSlim concurrency,
    DurableTaskOptions options,
    ILogger logger)
{
    private readonly ConcurrentDictionary<string, InstanceSession> _sessions = new(StringComparer.Ordinal);
    private readonly string _queue = storage.Names.ControlQueue(partition);

    public int Partition => partition;

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var delay = new AdaptivePollingDelay(options.MaxQueuePollingInterval);
        var provider = options.StorageProvider;
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                var batch = await storage.Queues.ReceiveAsync(_queue, provider.ControlQueueBatchSize, provider.ControlQueueVisibilityTimeout, cancellationToken).ConfigureAwait(false);
                if (batch.Count == 0)
                {
                    await storage.WakeUps.WaitAsync(_queue, delay.Next(), cancellationToken).ConfigureAwait(false);
                    continue;
                }

                delay.Reset();
                var received = await Task.WhenAll(batch.Select(m => DecodeAsync(m, cancellationToken))).ConfigureAwait(false);
                foreach (var group in received.SelectMany(r => r).GroupBy(m => m.Message.InstanceId, StringComparer.Ordinal))
                {
                    var session = _sessions.GetOrAdd(group.Key, id => new InstanceSession(id));
                    if (session.Enqueue(group))
                    {
                        _ = Task.Run(() => DrainAsync(session, cancellationToken), CancellationToken.None);
                    }
                }
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception e)
            {
                DurableLog.PollFailed(logger, _queue, e);
                await Task.Delay(delay.Next(), CancellationToken.None).ConfigureAwait(false);
            }
        }
    }

    private async Task<IReadOnlyList<ReceivedMessage>> DecodeAsync(QueueMessage raw, CancellationToken cancellationToken)
    {
        var maxDequeue = options.StorageProvider.MaxDequeueCount;
        TaskMessage envelope;
        try
        {
            envelope = TaskMessageCodec.ReadEnvelope(raw.Body);
        }
        catch (JsonException e)
        {
            await AbandonOrDeadLetterAsync(raw, null, $"unreadable message: {e.Message}", cancellationToken).ConfigureAwait(false);
            return [];
        }

        try
        {
            var message = await storage.Codec.LoadPayloadAsync(envelope, cancellationToken).ConfigureAwait(false);
            if (raw.DequeueCount > maxDequeue)
            {
                return [await PoisonAsync(raw, envelope, $"it was dequeued {raw.DequeueCount} times without being processed", cancellationToken).ConfigureAwait(false)];
            }

            return [.. message.Split().Select((part, i) => new ReceivedMessage(_queue, raw, part, i))];
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            if (raw.DequeueCount >= maxDequeue)
            {
                return [await PoisonAsync(raw, envelope, $"its payload could not be read ({e.GetType().Name}: {e.Message})", cancellationToken).ConfigureAwait(false)];
            }

            await AbandonAsync(raw, cancellationToken).ConfigureAwait(false);
            return [];
        }
    }

    /// <summary>Moves the message to the dead-letter table and turns it into a failure of its instance.</summary>
    private async Task<ReceivedMessage> PoisonAsync(QueueMessage raw, TaskMessage envelope, string reason, CancellationToken cancellationToken)
    {
        var text = $"Message '{raw.MessageId}' ({envelope.Event?.Type.ToString() ?? "large payload"}) for instance '{envelope.InstanceId}' was moved to the dead-letter table '{storage.Names.DeadLetterTable}' because {reason}.";
        await storage.DeadLetters.AddAsync(_queue, raw, envelope.InstanceId, text, cancellationToken).ConfigureAwait(false);
        DurableLog.DeadLettered(logger, raw.MessageId, _queue, text);
        return new ReceivedMessage(_queue, raw, new TaskMessage(envelope.InstanceId, null, new HistoryEvent
        {
            Type = HistoryEventType.ExecutionTerminated,
            Input = text,
            Failure = new FailureDetails("PoisonMessage", text),
        }));
    }

    private async Task AbandonOrDeadLetterAsync(QueueMessage raw, string? instanceId, string reason, CancellationToken cancellationToken)
    {
        if (raw.DequeueCount >= options.StorageProvider.MaxDequeueCount)
        {
            await storage.DeadLetters.AddAsync(_queue, raw, instanceId, reason, cancellationToken).ConfigureAwait(false);
            await storage.Queues.DeleteAsync(_queue, raw.MessageId, raw.PopReceipt, cancellationToken).ConfigureAwait(false);
            DurableLog.DeadLettered(logger, raw.MessageId, _queue, reason);
            return;
        }

        await AbandonAsync(raw, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Makes a message visible again soon (backing off with its dequeue count) so a retry comes quickly.</summary>
    private async Task AbandonAsync(QueueMessage raw, CancellationToken cancellationToken)
    {
        try
        {
            await storage.Queues.UpdateVisibilityAsync(_queue, raw.MessageId, raw.PopReceipt, TimeSpan.FromMilliseconds(Math.Min(10_000, 250 * raw.DequeueCount)), cancellationToken).ConfigureAwait(false);
        }
        catch (StorageNotFoundException)
        {
            // Gone or its receipt is stale: it is someone else's now.
        }
    }

    private async Task DrainAsync(InstanceSession session, CancellationToken cancellationToken)
    {
        while (session.TakeBatch() is { } batch)
        {
            try
            {
                await concurrency.WaitAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            try
            {
                var (state, deferred) = await runner.RunAsync(session.InstanceId, session.State, batch, cancellationToken).ConfigureAwait(false);
                session.State = state;
                session.Defer(deferred);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                DurableLog.EpisodeFailed(logger, session.InstanceId, e);
                session.State = null;
                await Task.WhenAll(batch.DistinctBy(m => m.Raw.MessageId).Select(m => AbandonAsync(m.Raw, CancellationToken.None))).ConfigureAwait(false);
            }
            finally
            {
                concurrency.Release();
            }
        }

        if (session.IsIdleAndFinished)
        {
            _sessions.TryRemove(new KeyValuePair<string, InstanceSession>(session.InstanceId, session));
        }
    }
}
