using System.Security.Cryptography;
using System.Text;

namespace Serverless.Orchestrations.Training;

/// <summary>
/// Instance ids of training runs. An upload's id derives from the project and the content hash, so the same
/// content never trains twice (starting an existing id is refused); a run on a dataset version (manual, scheduled,
/// retrain) gets a suffix from its trigger and time. All ids start with <see cref="AnyPrefix"/>, and all ids of a
/// project with <see cref="Prefix"/>, which narrows a query to a project; it does not decide it (<c>train-wine-</c>
/// also starts the ids of project <c>wine-red</c>).
/// </summary>
public static class TrainingRunIds
{
    /// <summary>The prefix of every training run id.</summary>
    public const string AnyPrefix = "train-";

    public static string Prefix(string project) => $"{AnyPrefix}{project}-";

    public static bool IsRunId(string instanceId) => instanceId.StartsWith(AnyPrefix, StringComparison.Ordinal);

    public static string ForContent(string project, string contentHash) => Prefix(project) + contentHash[..Math.Min(24, contentHash.Length)];

    public static string ForVersion(string project, int datasetVersion, string trigger, DateTimeOffset at) =>
        Prefix(project) + $"v{datasetVersion}-{trigger}-{Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(at.UtcTicks.ToString(System.Globalization.CultureInfo.InvariantCulture))))[..8]}";

    /// <summary>
    /// The id of the run <paramref name="request"/> asks for: from the uploaded file's content hash, else from its dataset
    /// version, trigger and <paramref name="at"/> (the request time, or a schedule's occurrence).
    /// </summary>
    /// <exception cref="TrainingRunRequestException">The request names neither a hashed file nor a dataset version.</exception>
    public static string For(TrainingRunRequest request, DateTimeOffset at)
    {
        ArgumentNullException.ThrowIfNull(request);
        return request switch
        {
            { Source.ContentHash: { Length: > 0 } hash } => ForContent(request.Project, hash),
            { DatasetVersion: int version } => ForVersion(request.Project, version, request.Trigger, at),
            _ => throw new TrainingRunRequestException($"A run of project '{request.Project}' needs an uploaded file's content hash or a dataset version."),
        };
    }

    /// <summary>The project a run id belongs to, or null when it is not a training run id.</summary>
    public static string? ProjectOf(string instanceId, IEnumerable<string> knownProjects)
    {
        ArgumentNullException.ThrowIfNull(instanceId);
        return knownProjects.Where(p => instanceId.StartsWith(Prefix(p), StringComparison.Ordinal)).MaxBy(p => p.Length);
    }
}
