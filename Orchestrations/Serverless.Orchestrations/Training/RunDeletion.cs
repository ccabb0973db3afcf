namespace Serverless.Orchestrations.Training;

/// <summary>What <c>DELETE /api/runs/{id}</c> did.</summary>
public enum RunDeletionStatus
{
    Deleted,

    /// <summary>No such run (or one the caller may not see; see <see cref="RunLookup"/>).</summary>
    NotFound,

    /// <summary>The run has not ended; it can be deleted once it has.</summary>
    Running,

    /// <summary>A registered model version's lineage names the run.</summary>
    Referenced,
}

public sealed record RunDeletion(RunDeletionStatus Status, RunLookup Lookup, string Message);
