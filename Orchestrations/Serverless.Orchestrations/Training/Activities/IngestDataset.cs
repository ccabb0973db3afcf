using System.Diagnostics;
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

        var phases = new PhaseTimer();
        var (container, name) = input.Source is { } source
            ? (source.Container, source.Name)
            : await SnapshotOfVersionAsync(input.Project, input.DatasetVersion ?? throw new TrainingRunRequestException("A run needs a dataset file or a dataset version."), ct).ConfigureAwait(false);

        // The upload is read once: parsed straight from storage when its snapshot is already kept, else copied to a local
        // file while hashed, then parsed from that file (in row blocks on every core) while storage copies it to its snapshot.
        var keptAlready = container == artifacts.Container
            || (input.Source?.ContentHash is { } known && await artifacts.GetPropertiesAsync(ArtifactPaths.DatasetSnapshot(input.Project, known, name), ct).ConfigureAwait(false) is not null);
        var (hash, raw, unreadable) = keptAlready
            ? await ReadKeptAsync(container, name, input.Source?.ContentHash, phases, ct).ConfigureAwait(false)
            : await SnapshotAndReadAsync(input.Project, container, name, phases, ct).ConfigureAwait(false);
        var snapshotPath = container == artifacts.Container ? name : ArtifactPaths.DatasetSnapshot(input.Project, hash, name);
        var previous = await PreviousSchemaAsync(input.Project, hash, ct).ConfigureAwait(false);

        DatasetIngestionResult? result = null;
        ValidationReport report;
        if (raw is not null)
        {
            result = ingestion.Ingest(raw, spec, previous);
            report = result.Report;
            phases.End("type, validate, profile");
        }
        else
        {
            // The exception names a file line; reports name data rows (row 1 is the line after the header).
            report = ValidationReport.Unreadable(unreadable!.Message, unreadable.Column, unreadable.Line is long line and > 1 ? [(int)(line - 1)] : []);
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
        phases.End("record (report, profile, frame)");
        return new IngestOutcome(summary, specJson) { PhasesMs = phases.Milliseconds };
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

    /// <summary>Parses a file whose snapshot is already kept: one read, which also hashes it.</summary>
    private async Task<(string Hash, RawDataset? Raw, DatasetFormatException? Unreadable)> ReadKeptAsync(
        string container, string name, string? knownHash, PhaseTimer phases, CancellationToken ct)
    {
        try
        {
            await using var stream = await blobs.OpenReadAsync(container, name, ct).ConfigureAwait(false);
            var raw = await ingestion.ReadAsync(stream, name, ct).ConfigureAwait(false);
            phases.End("read and parse (snapshot kept)");
            return (raw.ContentHash, raw, null);
        }
        catch (DatasetFormatException e)
        {
            phases.End("read and parse (snapshot kept)");
            return (knownHash ?? await HashAsync(container, name, ct).ConfigureAwait(false), null, e);
        }
    }

    /// <summary>
    /// Copies the upload to a local file while hashing it (its one read from storage), then parses that file while the
    /// snapshot is made: a storage-side copy of the upload, on the condition that it is still the version read (its ETag
    /// before the read), so the snapshot holds exactly the hashed bytes; when the upload has changed since, the snapshot is
    /// written from the local file instead.
    /// </summary>
    private async Task<(string Hash, RawDataset? Raw, DatasetFormatException? Unreadable)> SnapshotAndReadAsync(
        string project, string container, string name, PhaseTimer phases, CancellationToken ct)
    {
        var local = Path.Combine(Path.GetTempPath(), $"upload-{Guid.NewGuid():N}.bin");
        try
        {
            string hash;
            var uploaded = await blobs.GetPropertiesAsync(container, name, ct).ConfigureAwait(false);
            await using (var source = await blobs.OpenReadAsync(container, name, ct).ConfigureAwait(false))
            await using (var file = new FileStream(local, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16, FileOptions.Asynchronous))
            using (var hashing = new HashingStream(source))
            {
                await hashing.CopyToAsync(file, 1 << 20, ct).ConfigureAwait(false);
                hash = await hashing.CompleteAsync(ct).ConfigureAwait(false);
            }

            phases.End("read upload (hash, local copy)");
            var snapshotPath = ArtifactPaths.DatasetSnapshot(project, hash, name);
            var snapshot = Task.Run(async () =>
            {
                var watch = Stopwatch.StartNew();
                if (await artifacts.GetPropertiesAsync(snapshotPath, ct).ConfigureAwait(false) is null
                    && (uploaded is null || !await artifacts.CopyOnceAsync(snapshotPath, container, name, uploaded.ETag, ct).ConfigureAwait(false)))
                {
                    await using var copy = new FileStream(local, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.Asynchronous);
                    await artifacts.WriteStreamOnceAsync(snapshotPath, copy, "application/octet-stream", ct).ConfigureAwait(false);
                }

                return watch.Elapsed;
            }, ct);
            var parsing = Stopwatch.StartNew();
            (RawDataset? Raw, DatasetFormatException? Unreadable) parsed;
            try
            {
                parsed = (await ingestion.ReadLocalFileAsync(local, name, hash, ct).ConfigureAwait(false), null);
            }
            catch (DatasetFormatException e)
            {
                parsed = (null, e);
            }

            var parse = parsing.Elapsed;
            var upload = await snapshot.ConfigureAwait(false);
            phases.End("snapshot and parse (concurrent)");
            phases.Add("of which parse", parse);
            phases.Add("of which snapshot (storage-side copy)", upload);
            return (hash, parsed.Raw, parsed.Unreadable);
        }
        finally
        {
            File.Delete(local);
        }
    }

    private async Task<string> HashAsync(string container, string name, CancellationToken ct)
    {
        await using var stream = await blobs.OpenReadAsync(container, name, ct).ConfigureAwait(false);
        return Convert.ToHexStringLower(await SHA256.HashDataAsync(stream, ct).ConfigureAwait(false));
    }
}
