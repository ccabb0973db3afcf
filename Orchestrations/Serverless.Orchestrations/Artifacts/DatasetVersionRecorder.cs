using Serverless.Data;
using Serverless.Data.Validation;
using Serverless.Domain.Datasets;
using Serverless.Orchestrations.Training;
using Serverless.Registry;

namespace Serverless.Orchestrations.Artifacts;

/// <summary>
/// The last step of ingesting a dataset, shared by uploads and feedback datasets: keeps the validation report, the
/// profile and (when valid) the frame in <c>artifacts</c> under the content hash, and registers the dataset version
/// (one per content hash) pointing at them. Idempotent: the paths derive from the hash and the catalog deduplicates.
/// </summary>
public sealed class DatasetVersionRecorder(ArtifactStore artifacts, DatasetCatalog datasets, TimeProvider time)
{
    /// <summary>Records the ingestion of <paramref name="hash"/>; <paramref name="result"/> is null when the file could not be read.</summary>
    /// <param name="sourcePath">Where the data came from (<c>{container}/{name}</c>), as the version shows it.</param>
    /// <param name="snapshotPath">The immutable snapshot's path in <c>artifacts</c>.</param>
    /// <param name="describe">Adds what a kind of version carries beyond the common fields (origin, lineage).</param>
    public async Task<DatasetVersion> RecordAsync(
        string project,
        string hash,
        string sourcePath,
        string snapshotPath,
        ValidationReport report,
        DatasetIngestionResult? result,
        Func<DatasetVersion, DatasetVersion>? describe,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(report);
        var reportPath = ArtifactPaths.ValidationReport(project, hash);
        var profilePath = ArtifactPaths.DatasetProfile(project, hash);
        var framePath = ArtifactPaths.DatasetFrame(project, hash);
        await artifacts.WriteJsonAsync(reportPath, report, cancellationToken).ConfigureAwait(false);
        if (result is not null)
        {
            await artifacts.WriteJsonAsync(profilePath, result.Profile, cancellationToken).ConfigureAwait(false);
            if (report.IsValid)
            {
                await artifacts.WriteFrameAsync(framePath, result.Frame.Select(result.Features.Append(result.Label!)), cancellationToken).ConfigureAwait(false);
            }
        }

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
                    ["validation"] = reportPath,
                    ["profile"] = profilePath,
                    ["frame"] = framePath,
                },
            };
            return describe is null ? created : describe(created);
        }, cancellationToken).ConfigureAwait(false);
        return version;
    }
}
