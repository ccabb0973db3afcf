namespace Serverless.Orchestrations.Training;

/// <summary>What reading one run for a caller found.</summary>
public enum RunAccess
{
    /// <summary>The run, visible to the caller.</summary>
    Found,

    /// <summary>No such run, or one the caller may not see whose id could have been one of its projects' (answered alike, so its existence does not show).</summary>
    Missing,

    /// <summary>The id cannot be a run of the caller's projects; decided without reading the run.</summary>
    OutOfScope,
}

/// <summary>The run read for a caller (<see cref="Run"/> set only when <see cref="Access"/> is <see cref="RunAccess.Found"/>).</summary>
public sealed record RunLookup(RunAccess Access, RunView? Run)
{
    public static RunLookup Missing { get; } = new(RunAccess.Missing, null);

    public static RunLookup OutOfScope { get; } = new(RunAccess.OutOfScope, null);

    public static RunLookup Found(RunView run) => new(RunAccess.Found, run);
}
