using System.Globalization;
using System.Security.Cryptography;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Serverless.Data;
using Serverless.Data.Reading;
using Serverless.Data.Writing;
using Serverless.Domain.Projects;
using Serverless.Orchestrations.Artifacts;
using Serverless.Orchestrations.Training;
using Serverless.Monitoring;
using Serverless.Registry;
using Serverless.Serving.PredictionLogging;

namespace Serverless.Orchestrations.Monitoring;

/// <summary>
/// The dataset a retrain trains on: the project's latest valid dataset version plus the labelled feedback on the
/// monitored version's predictions over the performance window, registered as a new dataset version through the
/// upload path (CSV snapshot in <c>artifacts</c> by content hash, validation, profile, frame) with lineage origin
/// <c>feedback</c>. Without usable feedback, or when the merged data fails validation, the latest valid version as is.
/// </summary>
public sealed partial class FeedbackDataset(
    DatasetCatalog datasets,
    ProjectCatalog projects,
    ArtifactStore artifacts,
    DatasetIngestion ingestion,
    DatasetVersionRecorder recorder,
    PredictionLogStore log,
    IOptions<MonitoringLoopOptions> options,
    TimeProvider time,
    ILogger<FeedbackDataset> logger)
{
    /// <summary>The file name the merged data is ingested under (the snapshot keeps its extension).</summary>
    public const string FileName = "feedback.csv";

    public async Task<FeedbackDatasetOutcome> BuildAsync(string project, ModelVersion monitored, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(monitored);
        var latest = await datasets.GetLatestValidAsync(project, cancellationToken).ConfigureAwait(false);
        if (latest is null)
        {
            return new FeedbackDatasetOutcome(null, null, $"project '{project}' has no valid dataset version to retrain on");
        }

        var now = time.GetUtcNow();
        var window = options.Value.PerformanceWindow;
        var feedback = await log.ReadFeedbackAsync(monitored.Model, monitored.Version, now - window, now, options.Value.MaxRows, cancellationToken).ConfigureAwait(false);
        if (feedback.Count == 0)
        {
            return Latest(latest, $"no labelled feedback on version {monitored.Version} of model '{monitored.Model}' in the last {window}");
        }

        RawDataset rows;
        await using (var snapshot = await artifacts.OpenReadAsync(latest.SnapshotPath, cancellationToken).ConfigureAwait(false))
        {
            try
            {
                rows = await DatasetReader.ReadAsync(snapshot, latest.SnapshotPath, cancellationToken).ConfigureAwait(false);
            }
            catch (DatasetFormatException e)
            {
                return Latest(latest, $"labelled feedback not merged: dataset version {latest.Version} could not be read again ({e.Message})");
            }
        }

        var merged = FeedbackMerge.Append(rows, monitored.Signature, feedback);
        if (merged.Appended == 0)
        {
            return Latest(latest, $"no usable labelled feedback: all {feedback.Count} rows skipped ({Describe(merged.Skipped)})");
        }

        var version = await RegisterAsync(project, latest, monitored, merged, cancellationToken).ConfigureAwait(false);
        var skippedText = merged.SkippedRows == 0 ? string.Empty : $", {merged.SkippedRows} skipped ({Describe(merged.Skipped)})";
        Log.Built(logger, project, version.Version, latest.Version, merged.Appended, merged.SkippedRows, version.IsValid);
        if (!version.IsValid)
        {
            return new FeedbackDatasetOutcome(latest, version,
                $"feedback dataset version {version.Version} (version {latest.Version} plus {merged.Appended} labelled feedback rows{skippedText}) failed validation: trained on the latest valid dataset version {latest.Version}");
        }

        return new FeedbackDatasetOutcome(version, version,
            $"trained on dataset version {version.Version}: version {latest.Version} ({merged.BaseRows} rows) plus {merged.Appended} labelled feedback rows on version {monitored.Version} of model '{monitored.Model}' predicted {merged.From:O} to {merged.To:O}{skippedText}");
    }

    private static FeedbackDatasetOutcome Latest(DatasetVersion latest, string why) =>
        new(latest, null, $"{why}: trained on the latest valid dataset version {latest.Version}");

    private static string Describe(IReadOnlyDictionary<string, int> skipped) =>
        string.Join("; ", skipped.Select(s => string.Create(CultureInfo.InvariantCulture, $"{s.Value} {s.Key}")));

    /// <summary>Writes the merged rows as a CSV snapshot, ingests it as an upload would be, and registers it with lineage.</summary>
    private async Task<DatasetVersion> RegisterAsync(string project, DatasetVersion latest, ModelVersion monitored, FeedbackMergeResult merged, CancellationToken ct)
    {
        byte[] content;
        using (var buffer = new MemoryStream())
        {
            await CsvDatasetWriter.WriteAsync(merged.Columns, buffer, ct).ConfigureAwait(false);
            content = buffer.ToArray();
        }

        var hash = Convert.ToHexStringLower(SHA256.HashData(content));
        if (await datasets.FindByHashAsync(project, hash, ct).ConfigureAwait(false) is { } existing)
        {
            return existing; // the same feedback merged into the same version before
        }

        var snapshotPath = ArtifactPaths.DatasetSnapshot(project, hash, FileName);
        await artifacts.WriteBytesOnceAsync(snapshotPath, content, "text/csv", ct).ConfigureAwait(false);
        var spec = (await projects.GetAsync(project, ct).ConfigureAwait(false))?.Spec ?? ProjectSpec.Default;
        DatasetIngestionResult result;
        using (var stream = new MemoryStream(content, writable: false))
        {
            result = await ingestion.IngestAsync(stream, FileName, spec, latest.Schema, ct).ConfigureAwait(false);
        }

        var lineage = new DatasetLineage(DatasetOrigins.Feedback, latest.Version)
        {
            Model = monitored.Model,
            ModelVersion = monitored.Version,
            FeedbackRows = merged.Appended,
            SkippedRows = merged.SkippedRows,
            SkippedReasons = merged.Skipped,
            FeedbackFrom = merged.From,
            FeedbackTo = merged.To,
        };
        return (await recorder.RecordAsync(
            project,
            hash,
            $"{artifacts.Container}/{snapshotPath}",
            snapshotPath,
            spec,
            latest.Schema,
            result.Report,
            result,
            version => version with { Origin = DatasetOrigins.Feedback, Lineage = lineage },
            ct).ConfigureAwait(false)).Version;
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 6521, Level = LogLevel.Information, Message = "Feedback dataset of project {Project}: version {Version} = version {BaseVersion} plus {Appended} labelled feedback rows ({Skipped} skipped), valid {IsValid}")]
        public static partial void Built(ILogger logger, string project, int version, int baseVersion, int appended, int skipped, bool isValid);
    }
}
