using Microsoft.Extensions.Logging;

namespace Serverless.Monitoring.Webhooks;

/// <summary>Source-generated log messages of webhook delivery.</summary>
internal static partial class WebhookLog
{
    [LoggerMessage(EventId = 6101, Level = LogLevel.Information, Message = "Webhook {EventType} {EventId} delivered to {Url} with status {StatusCode} after {Attempts} attempt(s)")]
    public static partial void Delivered(ILogger logger, string eventType, string eventId, Uri url, int statusCode, int attempts);

    [LoggerMessage(EventId = 6102, Level = LogLevel.Warning, Message = "Webhook {EventType} {EventId} to {Url}: attempt {Attempt} failed ({Reason}); retrying in {Delay}")]
    public static partial void Retrying(ILogger logger, string eventType, string eventId, Uri url, int attempt, string reason, TimeSpan delay);

    [LoggerMessage(EventId = 6103, Level = LogLevel.Error, Message = "Webhook {EventType} {EventId} to {Url} failed after {Attempts} attempt(s): {Reason}")]
    public static partial void Failed(ILogger logger, string eventType, string eventId, Uri url, int attempts, string reason);
}
