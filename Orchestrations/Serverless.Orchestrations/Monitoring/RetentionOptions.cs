namespace Serverless.Orchestrations.Monitoring;

/// <summary>How long monitoring data and run history are kept (section <c>Monitoring:Retention</c>).</summary>
public sealed class RetentionOptions
{
    public const string SectionName = "Monitoring:Retention";

    /// <summary>Logged predictions and their feedback older than this are purged.</summary>
    public TimeSpan PredictionLog { get; set; } = TimeSpan.FromDays(30);

    /// <summary>Finished orchestrations (training runs, uploads) created before this long ago are purged.</summary>
    public TimeSpan OrchestrationHistory { get; set; } = TimeSpan.FromDays(30);

    /// <summary>Records of webhook deliveries (which event went to which webhook, with what result) older than this are purged.</summary>
    public TimeSpan WebhookDeliveries { get; set; } = TimeSpan.FromDays(30);

    /// <summary>A run folder whose run is gone is only removed once its newest blob is this old (a starting run is never raced).</summary>
    public TimeSpan OrphanGrace { get; set; } = TimeSpan.FromHours(1);

    /// <summary>Throws when a setting is not positive, naming it.</summary>
    public void Validate()
    {
        foreach (var (name, value) in new[] { (nameof(PredictionLog), PredictionLog), (nameof(OrchestrationHistory), OrchestrationHistory), (nameof(OrphanGrace), OrphanGrace), (nameof(WebhookDeliveries), WebhookDeliveries) })
        {
            if (value < TimeSpan.Zero)
            {
                throw new ArgumentOutOfRangeException(name, value, $"{SectionName}:{name} must not be negative; it is {value}.");
            }
        }
    }
}
