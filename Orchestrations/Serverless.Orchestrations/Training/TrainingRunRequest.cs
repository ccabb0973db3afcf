namespace Serverless.Orchestrations.Training;

/// <summary>
/// What starts a training run: a dataset file (an upload to <c>datasets/{project}/...</c>) or an existing
/// dataset version (a manual or scheduled run, or a retrain on drift).
/// </summary>
public sealed record TrainingRunRequest
{
    public required string Project { get; init; }

    /// <summary>The uploaded file: container and blob name. Null when <see cref="DatasetVersion"/> names an existing version.</summary>
    public DatasetSource? Source { get; init; }

    /// <summary>An already registered dataset version to train on.</summary>
    public int? DatasetVersion { get; init; }

    /// <summary>Why the run started: <c>upload</c>, <c>manual</c>, <c>schedule</c>, <c>drift</c>.</summary>
    public string Trigger { get; init; } = RunTriggers.Upload;

    public string? RequestedBy { get; init; }

    /// <summary>Carried from the trigger to the registered model and every log line.</summary>
    public string? CorrelationId { get; init; }
}

/// <summary>Where an uploaded dataset file is.</summary>
public sealed record DatasetSource(string Container, string Name, string? ContentHash = null);

public static class RunTriggers
{
    public const string Upload = "upload";
    public const string Manual = "manual";
    public const string Schedule = "schedule";
    public const string Drift = "drift";
}
