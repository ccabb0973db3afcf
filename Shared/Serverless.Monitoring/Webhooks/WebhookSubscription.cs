namespace Serverless.Monitoring.Webhooks;

/// <summary>Where to POST events, the shared secret that signs them, and which event types (none listed = all).</summary>
public sealed record WebhookSubscription(Uri Url, string Secret, IReadOnlyList<string>? EventTypes = null)
{
    /// <summary>The stored subscription's id (set when read from the store; keys per-webhook delivery records).</summary>
    public string? Id { get; init; }

    /// <summary>Whether this subscription receives events of <paramref name="type"/>.</summary>
    public bool Accepts(string type) => EventTypes is null || EventTypes.Count == 0 || EventTypes.Contains(type, StringComparer.Ordinal);

    /// <summary>Throws when the URL is not absolute http(s), the secret is empty, or an event type is unknown.</summary>
    public void Validate()
    {
        ArgumentNullException.ThrowIfNull(Url);
        if (!Url.IsAbsoluteUri || (Url.Scheme != Uri.UriSchemeHttps && Url.Scheme != Uri.UriSchemeHttp))
        {
            throw new ArgumentException($"Webhook URL '{Url}' must be an absolute http or https URL.", nameof(Url));
        }

        if (string.IsNullOrEmpty(Secret))
        {
            throw new ArgumentException($"The webhook subscription for '{Url}' has no secret.", nameof(Secret));
        }

        var unknown = EventTypes?.FirstOrDefault(t => !WebhookEventTypes.IsKnown(t));
        if (unknown is not null)
        {
            throw new ArgumentException($"The webhook subscription for '{Url}' lists unknown event type '{unknown}'.", nameof(EventTypes));
        }
    }
}
