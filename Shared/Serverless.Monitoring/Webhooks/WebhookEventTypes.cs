namespace Serverless.Monitoring.Webhooks;

/// <summary>The event types a webhook subscription can receive.</summary>
public static class WebhookEventTypes
{
    public const string RunCompleted = "run.completed";
    public const string RunFailed = "run.failed";
    public const string RunRejected = "run.rejected";
    public const string ModelRegistered = "model.registered";
    public const string AliasChanged = "alias.changed";
    public const string DriftDetected = "drift.detected";
    public const string PerformanceDegraded = "performance.degraded";

    /// <summary>Every type, in the order above.</summary>
    public static IReadOnlyList<string> All { get; } =
        [RunCompleted, RunFailed, RunRejected, ModelRegistered, AliasChanged, DriftDetected, PerformanceDegraded];

    /// <summary>Whether the type is one of <see cref="All"/>.</summary>
    public static bool IsKnown(string type) => All.Contains(type, StringComparer.Ordinal);
}
