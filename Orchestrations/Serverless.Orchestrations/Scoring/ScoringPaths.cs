using System.Globalization;

namespace Serverless.Orchestrations.Scoring;

/// <summary>Where a scoring run writes: <c>{prefix}.predictions.csv</c>, <c>{prefix}.errors.csv</c>, and its work folder.</summary>
public static class ScoringPaths
{
    public static string Predictions(ScoringRequest request) => Require(request).OutputPrefix + ".predictions.csv";

    public static string Errors(ScoringRequest request) => Require(request).OutputPrefix + ".errors.csv";

    public static string WorkFolder(ScoringRequest request) => "_work/" + Require(request).RunId + "/";

    public static string ChunkPredictions(ScoringRequest request, int index) =>
        WorkFolder(request) + "chunk-" + index.ToString("D6", CultureInfo.InvariantCulture) + ".predictions.csv";

    public static string ChunkErrors(ScoringRequest request, int index) =>
        WorkFolder(request) + "chunk-" + index.ToString("D6", CultureInfo.InvariantCulture) + ".errors.csv";

    /// <summary>The orchestration instance for one model, file and content: the same file is scored once.</summary>
    public static string InstanceId(string model, string path, string contentHash)
    {
        var key = System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(model + "\n" + path + "\n" + contentHash));
        return "score-" + model + "-" + Convert.ToHexStringLower(key)[..32];
    }

    private static ScoringRequest Require(ScoringRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return request;
    }
}
