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
}
