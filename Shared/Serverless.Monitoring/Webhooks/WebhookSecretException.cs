namespace Serverless.Monitoring.Webhooks;

/// <summary>A webhook's stored secret cannot be read or written (wrong or missing <see cref="WebhookSecretOptions.SecretKey"/>, damaged row); the message names the webhook.</summary>
public sealed class WebhookSecretException : InvalidOperationException
{
    public WebhookSecretException()
    {
    }

    public WebhookSecretException(string message)
        : base(message)
    {
    }

    public WebhookSecretException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
