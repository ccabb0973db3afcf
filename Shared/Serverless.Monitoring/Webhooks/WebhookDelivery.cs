namespace Serverless.Monitoring.Webhooks;

/// <summary>The outcome of delivering one event to one subscription.</summary>
/// <param name="Url">The receiver.</param>
/// <param name="EventId">The event's id.</param>
/// <param name="EventType">The event's type.</param>
/// <param name="Delivered">Whether the receiver answered with a 2xx status.</param>
/// <param name="Attempts">HTTP attempts made (1 + retries).</param>
/// <param name="StatusCode">The last HTTP status, if any response arrived.</param>
/// <param name="Error">Why delivery failed (the last exception or status), when it did.</param>
public sealed record WebhookDelivery(Uri Url, string EventId, string EventType, bool Delivered, int Attempts, int? StatusCode, string? Error);
