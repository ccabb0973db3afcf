using Serverless.Data;
using Serverless.Data.Validation;
using Serverless.Domain.Datasets;
using Serverless.Domain.Projects;
using Serverless.Orchestrations.Training;
using Serverless.Registry;

namespace Serverless.Orchestrations.Artifacts;

/// <summary>
/// The last step of ingesting a dataset, shared by uploads and feedback datasets: keeps the validation report, the
/// profile and (when valid) the frame in <c>artifacts</c> under the content hash and the
/// <see cref="DatasetDerivation"/> key of the spec, written once, and registers the dataset version (one per content
/// hash) pointing at them. Idempotent: the paths derive from the hash and the spec, an existing artifact is never
/// replaced, and the catalog deduplicates, so a version keeps pointing at the artifacts it was created with.
/// </summary>
public sealed class DatasetVersionRecorder(ArtifactStore artifacts, DatasetCatalog datasets, TimeProvider time)
{
    /// <summary>Records the ingestion of <paramref name="hash"/>; <paramref name="result"/> is null when the file could not be read.</summary>
    /// <param name="sourcePath">Where the data came from (<c>{container}/{name}</c>), as the version shows it.</param>
    /// <param name="snapshotPath">The immutable snapshot's path in <c>artifacts</c>.</param>
    /// <param name="spec">The spec the report, profile and frame were derived under.</param>
    /// <param name="baseline">The schema breaking-change checks compared against, or null.</param>
    /// <param name="describe">Adds what a kind of version carries beyond the common fields (origin, lineage).</param>
    public async Task<RecordedDataset> RecordAsync(
        string project,
        string hash,
        string sourcePath,
        string snapshotPath,
        ProjectSpec spec,
        DatasetSchema? baseline,
        ValidationReport report,
        DatasetIngestionResult? result,
        Func<DatasetVersion, DatasetVersion>? describe,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(report);
        var derivation = DatasetDerivation.KeyOf(spec, baseline);
        var reportPath = ArtifactPaths.ValidationReport(project, hash, derivation);
        var profilePath = ArtifactPaths.DatasetProfile(project, hash, derivation);
        var framePath = ArtifactPaths.DatasetFrame(project, hash, derivation);
        // The three artifacts are independent: written at once (the frame, by far the largest, no longer waits for the JSON).
        var writes = new List<Task> { artifacts.WriteJsonOnceAsync(reportPath, report, cancellationToken) };
        if (result is not null)
        {
            writes.Add(artifacts.WriteJsonOnceAsync(profilePath, result.Profile, cancellationToken));
            if (report.IsValid)
            {
                writes.Add(artifacts.WriteFrameOnceAsync(framePath, result.Frame.Select(result.Features.Append(result.Label!)), cancellationToken));
            }
        }

        await Task.WhenAll(writes).ConfigureAwait(false);

        var schema = result?.Schema ?? new DatasetSchema([]);
        var (version, _) = await datasets.RegisterAsync(project, hash, number =>
        {
            var created = new DatasetVersion(
                project,
                number,
                hash,
                sourcePath,
                result?.RowCount ?? 0,
                schema.Columns.Count,
                schema,
                report.IsValid,
                time.GetUtcNow(),
                snapshotPath)
            {
                Artifacts = new Dictionary<string, string>
                {
                    [DatasetArtifactKinds.Validation] = reportPath,
                    [DatasetArtifactKinds.Profile] = profilePath,
                    [DatasetArtifactKinds.Frame] = framePath,
                },
            };
            return describe is null ? created : describe(created);
        }, cancellationToken).ConfigureAwait(false);
        return new RecordedDataset(version, reportPath, profilePath, framePath);
    }
}
