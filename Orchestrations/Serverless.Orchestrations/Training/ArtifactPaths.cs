namespace Serverless.Orchestrations.Training;

/// <summary>Where the pipeline keeps what it produces in the <c>artifacts</c> container (immutable by content or run).</summary>
public static class ArtifactPaths
{
    public static string DatasetFolder(string project, string contentHash) => $"datasets/{project}/{contentHash}";

    public static string DatasetSnapshot(string project, string contentHash, string sourceName)
    {
        ArgumentNullException.ThrowIfNull(sourceName);
        var extension = sourceName.EndsWith(".csv.gz", StringComparison.OrdinalIgnoreCase) ? ".csv.gz" : Path.GetExtension(sourceName).ToLowerInvariant();
        return $"{DatasetFolder(project, contentHash)}/source{extension}";
    }

    public static string DatasetFrame(string project, string contentHash) => $"{DatasetFolder(project, contentHash)}/frame.bin";

    public static string DatasetProfile(string project, string contentHash) => $"{DatasetFolder(project, contentHash)}/profile.json";

    public static string ValidationReport(string project, string contentHash) => $"{DatasetFolder(project, contentHash)}/validation.json";

    public static string RunFolder(string runId) => $"runs/{runId}";

    public static string SplitFrame(string runId, string part) => $"{RunFolder(runId)}/split/{part}.bin";

    public static string Candidate(string runId, int index, string file) => $"{RunFolder(runId)}/candidates/{index:D3}/{file}";
}
