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

    /// <summary>What started the run: <c>upload</c>, <c>manual</c>, <c>schedule</c>, <c>drift</c>, <c>degradation</c>.</summary>
    public string Trigger { get; init; } = RunTriggers.Upload;

    /// <summary>Who or what asked for the run (an actor, <c>schedule</c>, <c>monitoring</c>, <c>upload</c>).</summary>
    public string? RequestedBy { get; init; }

    /// <summary>
    /// Why, in words: e.g. <c>schedule '0 0 2 * * *'</c>, <c>manual by admin</c>, or the drift or degradation finding
    /// and the dataset version it retrains on. Shown in the run report.
    /// </summary>
    public string? Reason { get; init; }

    /// <summary><see cref="Reason"/>, or for an upload without one, the uploaded file.</summary>
    public string? ReasonOrDefault() => Reason ?? (Source is { } source ? $"upload of {source.Container}/{source.Name}" : null);

    /// <summary>A rerun: the run it reproduces; the run trains on that run's dataset version with <see cref="SpecJson"/>.</summary>
    public string? RerunOf { get; init; }

    /// <summary>The exact spec to train with (a rerun's snapshot) instead of the project's current one.</summary>
    public string? SpecJson { get; init; }

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

    /// <summary>Live performance from feedback fell below the version's evaluation.</summary>
    public const string Degradation = "degradation";

    /// <summary>An operator reran an earlier run (same dataset version, same spec snapshot).</summary>
    public const string Rerun = "rerun";
}
