namespace Serverless.Registry;

/// <summary>A model (named after its project) with its latest version number and current aliases.</summary>
public sealed record RegisteredModel(
    string Name,
    string? Project,
    int LatestVersion,
    DateTimeOffset CreatedAt,
    IReadOnlyDictionary<string, int> Aliases);
