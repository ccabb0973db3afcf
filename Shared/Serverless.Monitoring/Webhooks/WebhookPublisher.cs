using Serverless.Monitoring.Stores;

namespace Serverless.Monitoring.Webhooks;

/// <summary>Publishes an event to every stored subscription that accepts its type (signed, retried by <see cref="WebhookSender"/>).</summary>
public sealed class WebhookPublisher(WebhookSubscriptionStore subscriptions, WebhookSender sender, TimeProvider time)
{
    /// <summary>Creates the event and delivers it; failed deliveries are reported, not thrown.</summary>
    public async Task<IReadOnlyList<WebhookDelivery>> PublishAsync<T>(string type, string subject, T data, CancellationToken cancellationToken)
    {
        var all = await subscriptions.GetSigningSubscriptionsAsync(cancellationToken).ConfigureAwait(false);
        if (!all.Any(s => s.Accepts(type)))
        {
            return [];
        }

        return await sender.PublishAsync(all, WebhookEvent.Create(type, subject, data, time), cancellationToken).ConfigureAwait(false);
    }
}
