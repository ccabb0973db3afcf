using System.Globalization;

namespace Serverless.Orchestrations.Scoring;

/// <summary>Where a scoring run writes: <c>{prefix}.predictions.csv</c> and <c>{prefix}.errors.csv</c>, each committed from the run's staged blocks.</summary>
public static class ScoringPaths
{
    public static string Predictions(ScoringRequest request) => Require(request).OutputPrefix + ".predictions.csv";

    public static string Errors(ScoringRequest request) => Require(request).OutputPrefix + ".errors.csv";

    /// <summary>The block a chunk stages in the run's outputs (ids carry the run, so runs never mix blocks).</summary>
    public static string ChunkBlock(ScoringRequest request, int index) =>
        RunKey(request) + "-" + index.ToString("D6", CultureInfo.InvariantCulture);

    /// <summary>The header block, first in each output's block list.</summary>
    public static string HeaderBlock(ScoringRequest request) => RunKey(request) + "-header";

    /// <summary>The orchestration instance for one model, file and content: the same file is scored once.</summary>
    public static string InstanceId(string model, string path, string contentHash)
    {
        var key = System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(model + "\n" + path + "\n" + contentHash));
        return "score-" + model + "-" + Convert.ToHexStringLower(key)[..32];
    }

    private static string RunKey(ScoringRequest request) =>
        Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(Require(request).RunId)))[..16];

    private static ScoringRequest Require(ScoringRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return request;
    }
}
