using Serverless.Monitoring.Webhooks;
using Serverless.Testing;

namespace Serverless.Functions.Monitoring.Tests;

/// <summary>How these tests read a <see cref="WebhookReceiver"/>: deliveries it accepted whose signature verifies with <see cref="Secret"/>.</summary>
internal static class SignedWebhooks
{
    public const string Secret = "test-webhook-secret";

    /// <summary>A receiver whose hook <paramref name="hook"/> refuses the first attempt of every event with 503 (so the sender must retry).</summary>
    public static async Task<WebhookReceiver> StartRefusingFirstAttemptsAsync(string hook)
    {
        var receiver = await WebhookReceiver.StartAsync();
        receiver.ScriptPerKey(hook, WebhookSignature.EventIdHeader, 503, 200);
        return receiver;
    }

    /// <summary>Accepted, correctly signed deliveries to <paramref name="hook"/>.</summary>
    public static IReadOnlyList<SignedDelivery> Delivered(this WebhookReceiver receiver, string hook) =>
        receiver.For(hook)
            .Where(r => r.Accepted && WebhookSignature.Verify(Secret, r.Body, r.Headers))
            .Select(r => new SignedDelivery(r.Headers[WebhookSignature.EventTypeHeader], r.Headers[WebhookSignature.EventIdHeader], r.Text, r))
            .ToList();

    /// <summary>Requests to <paramref name="hook"/> carrying event <paramref name="eventId"/>, whatever the answer.</summary>
    public static int Attempts(this WebhookReceiver receiver, string hook, string eventId) =>
        receiver.For(hook).Count(r => r.Headers.GetValueOrDefault(WebhookSignature.EventIdHeader) == eventId);

    /// <summary>Requests to <paramref name="hook"/> whose signature does not verify.</summary>
    public static int BadSignatures(this WebhookReceiver receiver, string hook) =>
        receiver.For(hook).Count(r => !WebhookSignature.Verify(Secret, r.Body, r.Headers));
}

/// <summary>One verified delivery: event type, id, body text, and the request itself.</summary>
internal sealed record SignedDelivery(string Type, string Id, string Body, ReceivedWebhook Request);
