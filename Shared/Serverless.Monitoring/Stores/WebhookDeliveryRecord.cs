namespace Serverless.Monitoring.Stores;

/// <summary>The recorded outcome of sending one event to one webhook (see <see cref="WebhookDeliveryLedger"/>).</summary>
/// <param name="EventId">The event (and idempotency key).</param>
/// <param name="WebhookId">The subscription.</param>
/// <param name="Delivered">Whether the receiver accepted it (2xx).</param>
/// <param name="Passes">Dispatch passes so far (each one the sender's full retry sequence).</param>
/// <param name="StatusCode">The last HTTP status, if any.</param>
/// <param name="Error">Why the last pass failed, when it did.</param>
/// <param name="At">When the last pass ended.</param>
public sealed record WebhookDeliveryRecord(string EventId, string WebhookId, bool Delivered, int Passes, int? StatusCode, string? Error, DateTimeOffset At);
