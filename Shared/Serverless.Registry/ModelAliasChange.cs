namespace Serverless.Registry;

/// <summary>One entry of a model's alias audit log: who moved which alias from where to where, and why.</summary>
public sealed record ModelAliasChange(
    string Model,
    string Alias,
    int? FromVersion,
    int? ToVersion,
    string Actor,
    string Reason,
    DateTimeOffset At)
{
    /// <summary>True for a roll back (the alias returned to an earlier version), false for a promotion.</summary>
    public bool IsRollback { get; init; }

    /// <summary>What changed beyond the versions, when the entry is not an alias move (a serving traffic policy, as JSON).</summary>
    public string? Detail { get; init; }

    /// <summary>The id of the <c>alias.changed</c> event this change produced (also the webhook idempotency key); <c>null</c> for traffic policy entries.</summary>
    public string? EventId { get; init; }

    /// <summary>The correlation id of the request or run that made the change, when the caller gave one.</summary>
    public string? CorrelationId { get; init; }
}
