using System.Text.Json;
using Serverless.Data.Profiling;
using Serverless.Orchestrations.Artifacts;
using Serverless.Registry;

namespace Serverless.Orchestrations.Training;

/// <summary>
/// Lineage from the data side (<c>GET /api/projects/{project}/datasets/{v}</c>): a dataset version with its column profile,
/// the recorded runs that trained on its content and the model versions registered from it. The other direction (a model
/// version's dataset and run) is <see cref="ModelLineage"/>.
/// </summary>
public sealed class DatasetVersionLineage(DatasetCatalog datasets, ArtifactStore artifacts, TrainingRuns runs, ModelRegistry registry)
{
    /// <returns>The version's detail, or null when the project has no such version.</returns>
    public async Task<DatasetVersionDetail?> GetAsync(string project, int version, CancellationToken cancellationToken)
    {
        DatasetVersion dataset;
        try
        {
            dataset = await datasets.GetAsync(project, version, cancellationToken).ConfigureAwait(false);
        }
        catch (RegistryNotFoundException)
        {
            return null;
        }

        var profile = await ReadProfileAsync(dataset, cancellationToken).ConfigureAwait(false);
        var trainedBy = await runs.ListTrainedOnAsync(project, dataset.ContentHash, cancellationToken).ConfigureAwait(false);
        var models = await ModelVersionsFromAsync(dataset, cancellationToken).ConfigureAwait(false);
        return new DatasetVersionDetail(
            dataset,
            profile is null ? null : DatasetProfileView.Of(profile),
            [.. trainedBy.Select(r => new DatasetRunUse(r.Id, r.Status, r.Trigger, r.CreatedAt, r.EndedAt, r.ModelVersion))],
            models);
    }

    /// <summary>The profile kept with the version (none for a file that could not be read).</summary>
    private async Task<DatasetProfile?> ReadProfileAsync(DatasetVersion dataset, CancellationToken cancellationToken) =>
        dataset.Artifacts.TryGetValue(DatasetArtifactKinds.Profile, out var path)
        && await artifacts.TryReadTextAsync(path, cancellationToken).ConfigureAwait(false) is { } json
            ? JsonSerializer.Deserialize<DatasetProfile>(json, RegistryJson.Options)
            : null;

    /// <summary>The project's model versions (the pipeline registers them under the project's name) trained on this content.</summary>
    private async Task<IReadOnlyList<DatasetModelUse>> ModelVersionsFromAsync(DatasetVersion dataset, CancellationToken cancellationToken)
    {
        if (await registry.GetModelAsync(dataset.Project, cancellationToken).ConfigureAwait(false) is null)
        {
            return [];
        }

        var versions = await registry.ListVersionsAsync(dataset.Project, cancellationToken).ConfigureAwait(false);
        return [.. versions
            .Where(v => v.Lineage.Project == dataset.Project
                && (v.Lineage.DatasetHash is { } hash ? hash == dataset.ContentHash : v.Lineage.DatasetVersion == dataset.Version))
            .OrderBy(v => v.Version)
            .Select(v => new DatasetModelUse(v.Model, v.Version, v.Lineage.RunId, v.CreatedAt, v.Aliases))];
    }
}
