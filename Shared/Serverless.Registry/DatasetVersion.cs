using Serverless.Domain.Datasets;

namespace Serverless.Registry;

/// <summary>
/// An immutable dataset version of a project: the content hash identifies it (the same bytes uploaded
/// twice are one version), the snapshot in <c>artifacts</c> keeps it, and the validation outcome says whether it trains.
/// </summary>
public sealed record DatasetVersion(
    string Project,
    int Version,
    string ContentHash,
    string SourcePath,
    long Rows,
    int Columns,
    DatasetSchema Schema,
    bool IsValid,
    DateTimeOffset CreatedAt,
    string SnapshotPath)
{
    /// <summary>Artifacts produced from this version (profile, validation report, frame), by kind.</summary>
    public IReadOnlyDictionary<string, string> Artifacts { get; init; } = new Dictionary<string, string>();

    /// <summary>Where this version came from besides an upload (e.g. <c>feedback</c> merged into version 3).</summary>
    public string? Origin { get; init; }

    /// <summary>What this version was built from when it was not an upload (null for uploads).</summary>
    public DatasetLineage? Lineage { get; init; }
}

/// <summary>The keys of <see cref="DatasetVersion.Artifacts"/>.</summary>
public static class DatasetArtifactKinds
{
    /// <summary>The validation report (<c>validation.json</c>).</summary>
    public const string Validation = "validation";

    /// <summary>The column profile (<c>profile.json</c>, a <c>DatasetProfile</c>).</summary>
    public const string Profile = "profile";

    /// <summary>The typed frame the pipeline trains on.</summary>
    public const string Frame = "frame";
}
