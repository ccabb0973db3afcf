using Microsoft.Extensions.Logging;

namespace Serverless.Monitoring.Webhooks;

/// <summary>Source-generated log messages of webhook delivery. They name the subscription by id: webhook URLs are never logged.</summary>
internal static partial class WebhookLog
{
    [LoggerMessage(EventId = 6101, Level = LogLevel.Information, Message = "Webhook {EventType} {EventId} delivered to webhook {WebhookId} with status {StatusCode} after {Attempts} attempt(s)")]
    public static partial void Delivered(ILogger logger, string eventType, string eventId, string webhookId, int statusCode, int attempts);

    [LoggerMessage(EventId = 6102, Level = LogLevel.Warning, Message = "Webhook {EventType} {EventId} to webhook {WebhookId}: attempt {Attempt} failed ({Reason}); retrying in {Delay}")]
    public static partial void Retrying(ILogger logger, string eventType, string eventId, string webhookId, int attempt, string reason, TimeSpan delay);

    [LoggerMessage(EventId = 6103, Level = LogLevel.Error, Message = "Webhook {EventType} {EventId} to webhook {WebhookId} failed after {Attempts} attempt(s): {Reason}")]
    public static partial void Failed(ILogger logger, string eventType, string eventId, string webhookId, int attempts, string reason);
}
