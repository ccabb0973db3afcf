namespace Serverless.Orchestrations.Training;

/// <summary>Where the pipeline keeps what it produces in the <c>artifacts</c> container (immutable by content or run).
/// Everything here is written once: a path names its content, so a write never replaces what an earlier run used.</summary>
public static class ArtifactPaths
{
    public static string DatasetFolder(string project, string contentHash) => $"datasets/{project}/{contentHash}";

    public static string DatasetSnapshot(string project, string contentHash, string sourceName)
    {
        ArgumentNullException.ThrowIfNull(sourceName);
        var extension = sourceName.EndsWith(".csv.gz", StringComparison.OrdinalIgnoreCase) ? ".csv.gz" : Path.GetExtension(sourceName).ToLowerInvariant();
        return $"{DatasetFolder(project, contentHash)}/source{extension}";
    }

    /// <summary>
    /// What was derived from a dataset version under one spec (see <see cref="Artifacts.DatasetDerivation"/>): the raw snapshot
    /// beside it is shared by every spec, each spec's frame, profile and report live in a folder of their own.
    /// </summary>
    public static string DerivedFolder(string project, string contentHash, string derivationKey) => $"{DatasetFolder(project, contentHash)}/spec-{derivationKey}";

    public static string DatasetFrame(string project, string contentHash, string derivationKey) => $"{DerivedFolder(project, contentHash, derivationKey)}/frame.bin";

    public static string DatasetProfile(string project, string contentHash, string derivationKey) => $"{DerivedFolder(project, contentHash, derivationKey)}/profile.json";

    public static string ValidationReport(string project, string contentHash, string derivationKey) => $"{DerivedFolder(project, contentHash, derivationKey)}/validation.json";

    /// <summary>The folder every run folder is in.</summary>
    public const string RunsFolder = "runs";

    public static string RunFolder(string runId) => $"{RunsFolder}/{runId}";

    /// <summary>The run id of a path under <see cref="RunsFolder"/>, or null for any other path.</summary>
    public static string? RunIdOf(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        var prefix = RunsFolder + "/";
        return path.StartsWith(prefix, StringComparison.Ordinal) && path.IndexOf('/', prefix.Length) is var end and > 0
            ? path[prefix.Length..end]
            : null;
    }

    /// <summary>A run's split: row indexes over the dataset's frame (<c>DatasetSplitSerializer</c>).</summary>
    public static string Split(string runId) => $"{RunFolder(runId)}/split/indices.bin";

    public static string Candidate(string runId, int index, string file) => $"{RunFolder(runId)}/candidates/{index:D3}/{file}";
}
