using Serverless.Registry;

namespace Serverless.Orchestrations.Training;

/// <summary>A dataset version as <c>GET /api/projects/{project}/datasets/{v}</c> shows it: the version, its profile, what used it.</summary>
public sealed record DatasetVersionDetail(
    DatasetVersion Version,
    DatasetProfileView? Profile,
    IReadOnlyList<DatasetRunUse> Runs,
    IReadOnlyList<DatasetModelUse> ModelVersions);

/// <summary>A recorded training run on the version: its id, outcome, trigger, times and the model version it registered.</summary>
public sealed record DatasetRunUse(string Id, string Status, string? Trigger, DateTimeOffset CreatedAt, DateTimeOffset? EndedAt, int? ModelVersion);

/// <summary>A model version registered from the version, the run that trained it and its aliases.</summary>
public sealed record DatasetModelUse(string Model, int Version, string? RunId, DateTimeOffset CreatedAt, IReadOnlyList<string> Aliases);
