using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Serverless.Hosting.Background;
using Serverless.Hosting.Configuration;
using Serverless.Hosting.Health;
using Serverless.Storage;

namespace Serverless.Hosting.Blobs;

/// <summary>
/// Event-mode blob triggers: reads Event Grid blob-created events from <see cref="BlobsOptions.EventQueueName"/>
/// (for containers too large to list) and dispatches them like the scan does. A message is deleted once every
/// matching function has settled its blob; one held by another host reappears and is checked again.
/// </summary>
public sealed partial class BlobEventListener(
    FunctionCatalog catalog,
    IBlobStore blobs,
    IQueueStore queues,
    BlobTriggerDispatcher dispatcher,
    WorkerHealth health,
    IOptions<BlobsOptions> options,
    IOptions<FunctionsHostOptions> host,
    TimeProvider time,
    ILogger<BlobEventListener> logger) : BackgroundService
{
    public const string WorkerName = "blob-event-listener";

    private static readonly TimeSpan RecheckDelay = TimeSpan.FromSeconds(2);

    private readonly InFlightInvocations _inFlight = new();

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var targets = BlobTriggerTarget.From(catalog, BlobTriggerSource.EventGrid, options.Value);
        if (targets.Count == 0)
        {
            return;
        }

        await Task.Yield();
        var queue = options.Value.EventQueueName!;
        var backoff = Backoff.ForStorage();
        var created = false;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                if (!created)
                {
                    await queues.CreateQueueIfNotExistsAsync(queue, stoppingToken).ConfigureAwait(false);
                    created = true;
                }

                var messages = await queues.ReceiveAsync(queue, 16, options.Value.LeaseDuration * 2, stoppingToken).ConfigureAwait(false);
                foreach (var message in messages)
                {
                    _inFlight.TryStart(message.MessageId, () => HandleAsync(queue, message, targets, stoppingToken));
                }

                backoff.Reset();
                health.Healthy(WorkerName);
                if (messages.Count == 0)
                {
                    await Task.Delay(options.Value.PollingInterval, time, stoppingToken).ConfigureAwait(false);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception e)
            {
                health.Faulted(WorkerName, e);
                LogReceiveFailed(logger, e, queue);
                try
                {
                    await Task.Delay(backoff.Next(), time, stoppingToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    break;
                }
            }
        }

        await _inFlight.DrainAsync(host.Value.DrainTimeout).ConfigureAwait(false);
        health.Stopped(WorkerName);
    }

    public override void Dispose()
    {
        _inFlight.Dispose();
        base.Dispose();
    }

    private async Task HandleAsync(string queue, QueueMessage message, IReadOnlyList<BlobTriggerTarget> targets, CancellationToken stoppingToken)
    {
        try
        {
            IReadOnlyList<BlobCreatedEvent> events;
            try
            {
                events = BlobCreatedEvent.Parse(message.Body);
            }
            catch (FormatException e)
            {
                LogBadMessage(logger, queue, message.MessageId, e.Message);
                await queues.DeleteAsync(queue, message.MessageId, message.PopReceipt, stoppingToken).ConfigureAwait(false);
                return;
            }

            var settled = true;
            foreach (var created in events)
            {
                var blob = await blobs.GetPropertiesAsync(created.Container, created.Name, stoppingToken).ConfigureAwait(false);
                if (blob is null)
                {
                    continue; // deleted since
                }

                foreach (var target in targets)
                {
                    if (target.Path.Match(blob.Container, blob.Name) is not { } bindingData)
                    {
                        continue;
                    }

                    await target.Slots.WaitAsync(stoppingToken).ConfigureAwait(false);
                    try
                    {
                        var outcome = await dispatcher.DispatchAsync(target.Function, blob, bindingData, stoppingToken, _inFlight.Cancellation).ConfigureAwait(false);
                        settled &= outcome is not (BlobDispatchOutcome.HeldElsewhere or BlobDispatchOutcome.Released);
                    }
                    finally
                    {
                        target.Slots.Release();
                    }
                }
            }

            if (settled)
            {
                await queues.DeleteAsync(queue, message.MessageId, message.PopReceipt, stoppingToken).ConfigureAwait(false);
            }
            else
            {
                // Another host is processing it: look again soon, when its receipt will likely be written.
                await queues.UpdateVisibilityAsync(queue, message.MessageId, message.PopReceipt, RecheckDelay, stoppingToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        catch (Exception e)
        {
            LogHandleFailed(logger, e, queue, message.MessageId);
            try
            {
                await queues.UpdateVisibilityAsync(queue, message.MessageId, message.PopReceipt, RecheckDelay, stoppingToken).ConfigureAwait(false);
            }
            catch (Exception again) when (again is not OperationCanceledException)
            {
                LogHandleFailed(logger, again, queue, message.MessageId); // it reappears when its visibility timeout ends
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Reading blob events from queue {Queue} failed (storage unavailable?); retrying with backoff")]
    private static partial void LogReceiveFailed(ILogger logger, Exception exception, string queue);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Dropped message {MessageId} of queue {Queue}: {Reason}")]
    private static partial void LogBadMessage(ILogger logger, string queue, string messageId, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Handling blob event message {MessageId} of queue {Queue} failed; it reappears shortly and is retried")]
    private static partial void LogHandleFailed(ILogger logger, Exception exception, string queue, string messageId);
}
