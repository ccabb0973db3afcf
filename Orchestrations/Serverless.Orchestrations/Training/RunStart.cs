namespace Serverless.Orchestrations.Training;

/// <summary>How asking for a run went.</summary>
public enum RunStartStatus
{
    Started,

    /// <summary>A run with the same id is pending, running or suspended, or (the same content, the same occurrence) on record.</summary>
    AlreadyExists,

    /// <summary>Nothing to train on: the project has no (valid) dataset version, or not the one asked for.</summary>
    NoDataset,
}

/// <summary>The outcome of a start: the run id (null only for <see cref="RunStartStatus.NoDataset"/>) and, in words, what happened.</summary>
public sealed record RunStart(RunStartStatus Status, string? RunId, string Message)
{
    public bool Started => Status == RunStartStatus.Started;
}
