using Microsoft.Extensions.Logging;
using Serverless.Monitoring.Stores;

namespace Serverless.Monitoring.Webhooks;

/// <summary>
/// Delivers one event with a stable id to every webhook that accepts its type, remembering per webhook in the
/// <see cref="WebhookDeliveryLedger"/> what happened: a webhook that has the event (or was given up after
/// <see cref="MaxPasses"/> passes, each the sender's full retry sequence) is skipped, so calling again after a failure
/// sends only to the webhooks still missing it. The caller marks its event sent only when this says it is done.
/// </summary>
public sealed partial class LedgeredWebhookDelivery(
    WebhookSubscriptionStore subscriptions,
    WebhookSender sender,
    WebhookDeliveryLedger ledger,
    ILogger<LedgeredWebhookDelivery> logger)
{
    /// <summary>Delivery passes after which a failing webhook is given up for an event.</summary>
    public const int MaxPasses = 5;

    /// <summary>One pass over the webhooks still missing <paramref name="webhookEvent"/>.</summary>
    /// <returns>Whether the event is done with: delivered to every accepting webhook, or given up for the rest.</returns>
    public async Task<bool> DeliverAsync(WebhookEvent webhookEvent, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(webhookEvent);
        var receivers = (await subscriptions.GetSigningSubscriptionsAsync(cancellationToken).ConfigureAwait(false))
            .Where(s => s.Id is not null && s.Accepts(webhookEvent.Type))
            .ToList();
        return await DeliverAsync(webhookEvent, receivers, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>One pass of <paramref name="webhookEvent"/> over <paramref name="receivers"/> (webhooks with ids, read once by a caller that delivers many events).</summary>
    /// <returns>Whether the event is done with: delivered to every receiver, or given up for the rest.</returns>
    public async Task<bool> DeliverAsync(WebhookEvent webhookEvent, IReadOnlyList<WebhookSubscription> receivers, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(webhookEvent);
        ArgumentNullException.ThrowIfNull(receivers);
        if (receivers.Count == 0)
        {
            return true;
        }

        var recorded = await ledger.GetAsync(webhookEvent.Id, cancellationToken).ConfigureAwait(false);
        var outcomes = await Task.WhenAll(receivers.Select(async receiver =>
        {
            var previous = recorded.GetValueOrDefault(receiver.Id!);
            if (previous is not null && (previous.Delivered || previous.Passes >= MaxPasses))
            {
                return true;
            }

            var delivery = await sender.SendAsync(receiver, webhookEvent, cancellationToken).ConfigureAwait(false);

            // Recorded even when stopping: a delivered event must not be sent again.
            var record = await ledger.RecordAsync(receiver.Id!, delivery, previous, CancellationToken.None).ConfigureAwait(false);
            if (!record.Delivered && record.Passes >= MaxPasses)
            {
                LogGivenUp(logger, webhookEvent.Type, webhookEvent.Id, receiver.Id!, record.Passes, record.Error ?? "unknown");
            }

            return record.Delivered || record.Passes >= MaxPasses;
        })).ConfigureAwait(false);
        return outcomes.All(done => done);
    }

    [LoggerMessage(EventId = 6104, Level = LogLevel.Error, Message = "Webhook {EventType} {EventId} to webhook {WebhookId} given up after {Passes} delivery passes: {Reason}")]
    private static partial void LogGivenUp(ILogger logger, string eventType, string eventId, string webhookId, int passes, string reason);
}
