using System.Security.Cryptography;
using System.Text;

namespace Serverless.Orchestrations.Training;

/// <summary>
/// Instance ids of training runs. An upload's id derives from the project and the content hash, so the same
/// content never trains twice (starting an existing id is refused); a forced or scheduled run gets a unique suffix.
/// All ids of a project share the prefix <c>train-{project}-</c>, which is how runs are listed per project.
/// </summary>
public static class TrainingRunIds
{
    public static string Prefix(string project) => $"train-{project}-";

    public static string ForContent(string project, string contentHash) => Prefix(project) + contentHash[..Math.Min(24, contentHash.Length)];

    public static string ForVersion(string project, int datasetVersion, string trigger, DateTimeOffset at) =>
        Prefix(project) + $"v{datasetVersion}-{trigger}-{Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(at.UtcTicks.ToString(System.Globalization.CultureInfo.InvariantCulture))))[..8]}";

    /// <summary>The project a run id belongs to, or null when it is not a training run id.</summary>
    public static string? ProjectOf(string instanceId, IEnumerable<string> knownProjects)
    {
        ArgumentNullException.ThrowIfNull(instanceId);
        return knownProjects.Where(p => instanceId.StartsWith(Prefix(p), StringComparison.Ordinal)).MaxBy(p => p.Length);
    }
}
