using Microsoft.Extensions.Logging;
using Serverless.Monitoring.Stores;
using Serverless.Registry;

namespace Serverless.Monitoring.Webhooks;

/// <summary>
/// Turns the registry's alias-change outbox into <c>alias.changed</c> webhooks. Per pending change and accepting
/// webhook: skip when the <see cref="WebhookDeliveryLedger"/> says it was delivered (or given up), else send it
/// (signed, retried; the event id is the idempotency key) and record the outcome. A change leaves the outbox once every
/// webhook has it or has failed <see cref="MaxPasses"/> passes, so a dispatcher that stops at any point loses nothing
/// and a restarted one sends nothing twice to a webhook that already has it.
/// </summary>
public sealed partial class AliasEventDispatcher(
    ModelAliasOutbox outbox,
    WebhookSubscriptionStore subscriptions,
    LedgeredWebhookDelivery webhooks,
    ILogger<AliasEventDispatcher> logger)
{
    /// <summary>Pending changes read per call.</summary>
    public const int BatchSize = 100;

    /// <summary>Dispatch passes (each the sender's full retry sequence) after which a failing webhook is given up for an event.</summary>
    public const int MaxPasses = LedgeredWebhookDelivery.MaxPasses;

    /// <summary>Dispatches pending alias changes; returns how many left the outbox.</summary>
    public async Task<int> DispatchPendingAsync(CancellationToken cancellationToken)
    {
        var pending = await outbox.ListPendingAsync(BatchSize, cancellationToken).ConfigureAwait(false);
        if (pending.Count == 0)
        {
            return 0;
        }

        var receivers = (await subscriptions.GetSigningSubscriptionsAsync(cancellationToken).ConfigureAwait(false))
            .Where(s => s.Id is not null && s.Accepts(WebhookEventTypes.AliasChanged))
            .ToList();
        var completed = 0;
        foreach (var change in pending)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (await DispatchAsync(change, receivers, cancellationToken).ConfigureAwait(false))
            {
                await outbox.CompleteAsync(change, cancellationToken).ConfigureAwait(false);
                completed++;
            }
        }

        return completed;
    }

    /// <returns>Whether the change is done with (delivered to every receiver or given up).</returns>
    private async Task<bool> DispatchAsync(PendingAliasChange pending, IReadOnlyList<WebhookSubscription> receivers, CancellationToken cancellationToken)
    {
        var done = await webhooks.DeliverAsync(AliasChangedEvent.From(pending.Change), receivers, cancellationToken).ConfigureAwait(false);
        if (done)
        {
            LogDispatched(logger, pending.EventId, pending.Change.Model, pending.Change.Alias, receivers.Count);
        }

        return done;
    }

    [LoggerMessage(EventId = 6120, Level = LogLevel.Information, Message = "alias.changed {EventId} ({Model}/{Alias}) dispatched to {Receivers} webhook(s)")]
    private static partial void LogDispatched(ILogger logger, string eventId, string model, string alias, int receivers);
}
