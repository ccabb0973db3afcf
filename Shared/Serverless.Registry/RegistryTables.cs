namespace Serverless.Registry;

/// <summary>The tables and containers the registry keeps its state in.</summary>
public sealed record RegistryTables
{
    public string Projects { get; init; } = "Projects";

    public string DatasetVersions { get; init; } = "DatasetVersions";

    public string Models { get; init; } = "Models";

    /// <summary>The contract's <c>artifacts</c> container: immutable snapshots, profiles, reports, models, model cards.</summary>
    public string ArtifactsContainer { get; init; } = "artifacts";

    public static RegistryTables Default { get; } = new();
}
