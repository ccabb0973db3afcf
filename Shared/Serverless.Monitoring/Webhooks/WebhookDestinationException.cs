namespace Serverless.Monitoring.Webhooks;

/// <summary>
/// A webhook URL is aimed at an address webhooks may not reach (see <see cref="WebhookDestinationPolicy"/>). An
/// <see cref="ArgumentException"/>, so registering such a URL is answered 400; the message names the host, the kind of
/// address and the setting, never the whole URL.
/// </summary>
public sealed class WebhookDestinationException : ArgumentException
{
    public WebhookDestinationException()
    {
    }

    public WebhookDestinationException(string message)
        : base(message)
    {
    }

    public WebhookDestinationException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
