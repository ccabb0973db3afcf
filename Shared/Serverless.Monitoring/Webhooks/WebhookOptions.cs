namespace Serverless.Monitoring.Webhooks;

/// <summary>Delivery settings of webhooks (section <c>Monitoring:Webhooks</c>).</summary>
public sealed class WebhookOptions
{
    public const string SectionName = "Monitoring:Webhooks";

    /// <summary>Retries after the first attempt, on network errors, timeouts, 5xx and 429 (never on other 4xx).</summary>
    public int MaxRetryAttempts { get; set; } = 4;

    /// <summary>The first retry's delay; each further retry doubles it (exponential backoff).</summary>
    public TimeSpan BaseDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>The cap on a single retry delay.</summary>
    public TimeSpan MaxDelay { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Randomise delays (Polly's decorrelated jitter) so many senders do not retry in lockstep.</summary>
    public bool UseJitter { get; set; } = true;

    /// <summary>The time limit of one attempt.</summary>
    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Throws when a setting is out of range, naming it.</summary>
    public void Validate()
    {
        if (MaxRetryAttempts < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxRetryAttempts), MaxRetryAttempts, $"{SectionName}:{nameof(MaxRetryAttempts)} must be 0 or more.");
        }

        if (BaseDelay <= TimeSpan.Zero || MaxDelay < BaseDelay)
        {
            throw new ArgumentOutOfRangeException(nameof(BaseDelay), BaseDelay, $"{SectionName}:{nameof(BaseDelay)} must be positive and at most {nameof(MaxDelay)} ({MaxDelay}).");
        }

        if (AttemptTimeout <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(AttemptTimeout), AttemptTimeout, $"{SectionName}:{nameof(AttemptTimeout)} must be positive.");
        }
    }
}
