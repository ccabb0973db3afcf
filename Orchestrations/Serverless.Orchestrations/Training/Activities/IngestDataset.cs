using System.Security.Cryptography;
using Microsoft.DurableTask;
using Serverless.Data;
using Serverless.Data.Reading;
using Serverless.Data.Validation;
using Serverless.Domain.Datasets;
using Serverless.Domain.Projects;
using Serverless.Orchestrations.Artifacts;
using Serverless.Registry;
using Serverless.Storage;

namespace Serverless.Orchestrations.Training.Activities;

/// <summary>
/// Reads and hashes the uploaded file, validates and profiles it under the current spec, keeps an immutable snapshot
/// (source, and per spec the frame, profile and validation report) in <c>artifacts</c> and registers the dataset version
/// (one per content hash). The run's summary names the derived artifacts of its own spec.
/// An unreadable file is not an error of the run: it is a dataset version that failed validation, with the
/// reason in its report. Idempotent: artifacts are addressed by content hash and spec, written once, and the catalog deduplicates.
/// </summary>
public sealed class IngestDataset(
    IBlobStore blobs,
    ArtifactStore artifacts,
    ProjectCatalog projects,
    DatasetCatalog datasets,
    DatasetIngestion ingestion,
    DatasetVersionRecorder recorder) : TaskActivity<IngestRequest, IngestOutcome>
{
    public override async Task<IngestOutcome> RunAsync(TaskActivityContext context, IngestRequest input)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(input);
        var ct = CancellationToken.None;
        var spec = input.SpecJson is { } snapshot
            ? ProjectSpecSerializer.Parse(snapshot)
            : (await projects.GetAsync(input.Project, ct).ConfigureAwait(false))?.Spec ?? ProjectSpec.Default;
        var specJson = ProjectSpecSerializer.Serialize(spec);

        var (container, name) = input.Source is { } source
            ? (source.Container, source.Name)
            : await SnapshotOfVersionAsync(input.Project, input.DatasetVersion ?? throw new TrainingRunRequestException("A run needs a dataset file or a dataset version."), ct).ConfigureAwait(false);

        var hash = input.Source?.ContentHash ?? await HashAsync(container, name, ct).ConfigureAwait(false);
        var previous = await PreviousSchemaAsync(input.Project, hash, ct).ConfigureAwait(false);
        var snapshotPath = ArtifactPaths.DatasetSnapshot(input.Project, hash, name);
        if (container != artifacts.Container || name != snapshotPath)
        {
            await CopyToArtifactsAsync(container, name, snapshotPath, ct).ConfigureAwait(false);
        }

        DatasetIngestionResult? result = null;
        ValidationReport report;
        await using (var content = await artifacts.OpenReadAsync(snapshotPath, ct).ConfigureAwait(false))
        {
            try
            {
                result = await ingestion.IngestAsync(content, name, spec, previous, ct).ConfigureAwait(false);
                report = result.Report;
            }
            catch (DatasetFormatException e)
            {
                // The exception names a file line; reports name data rows (row 1 is the line after the header).
                report = ValidationReport.Unreadable(e.Message, e.Column, e.Line is long line and > 1 ? [(int)(line - 1)] : []);
            }
        }

        var recorded = await recorder.RecordAsync(input.Project, hash, $"{container}/{name}", snapshotPath, spec, previous, report, result, describe: null, ct).ConfigureAwait(false);
        var version = recorded.Version;
        var summary = new DatasetSummary(
            version.Version,
            hash,
            version.SourcePath,
            version.Rows,
            version.Columns,
            result?.Label,
            result?.Task?.ToString(),
            result?.Features ?? [],
            result?.Classes ?? [],
            report.IsValid,
            report.Errors.Count,
            report.Warnings.Count,
            report.Errors.Take(10).Select(e => e.Column is null ? $"{e.Rule}: {e.Message}" : $"{e.Rule} ({e.Column}): {e.Message}").ToList(),
            recorded.ReportPath,
            recorded.ProfilePath,
            recorded.FramePath);
        return new IngestOutcome(summary, specJson);
    }

    private async Task<(string Container, string Name)> SnapshotOfVersionAsync(string project, int number, CancellationToken ct)
    {
        try
        {
            var version = await datasets.GetAsync(project, number, ct).ConfigureAwait(false);
            return (artifacts.Container, version.SnapshotPath);
        }
        catch (RegistryNotFoundException e)
        {
            throw new TrainingRunRequestException(e.Message, e);
        }
    }

    /// <summary>The schema of the newest valid version with other content: the baseline for breaking-change checks.</summary>
    private async Task<DatasetSchema?> PreviousSchemaAsync(string project, string hash, CancellationToken ct)
    {
        var versions = await datasets.ListAsync(project, ct).ConfigureAwait(false);
        return versions.LastOrDefault(v => v.IsValid && v.ContentHash != hash)?.Schema;
    }

    private async Task<string> HashAsync(string container, string name, CancellationToken ct)
    {
        await using var stream = await blobs.OpenReadAsync(container, name, ct).ConfigureAwait(false);
        return Convert.ToHexStringLower(await SHA256.HashDataAsync(stream, ct).ConfigureAwait(false));
    }

    private async Task CopyToArtifactsAsync(string container, string name, string snapshotPath, CancellationToken ct)
    {
        if (await artifacts.GetPropertiesAsync(snapshotPath, ct).ConfigureAwait(false) is not null)
        {
            return; // same content already kept
        }

        await using var source = await blobs.OpenReadAsync(container, name, ct).ConfigureAwait(false);
        await artifacts.WriteStreamOnceAsync(snapshotPath, source, "application/octet-stream", ct).ConfigureAwait(false);
    }
}
