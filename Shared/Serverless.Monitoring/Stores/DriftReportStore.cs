using System.Globalization;
using System.Text.Json;
using Serverless.Monitoring.Drift;
using Serverless.Storage;

namespace Serverless.Monitoring.Stores;

/// <summary>
/// Drift reports: the full report as JSON in the reports container (<c>monitoring/{model}/drift/{id}.json</c>) and a
/// summary row per report (PK model, RK newest first) for the history.
/// </summary>
public sealed class DriftReportStore(ITableStore tables, IBlobStore blobs, MonitoringStorageNames names)
{
    private int _ready;

    /// <summary>Stores a report; returns its summary.</summary>
    public async Task<StoredDriftReport> SaveAsync(DriftReport report, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(report);
        await EnsureAsync(cancellationToken).ConfigureAwait(false);
        var id = report.ComputedAt.UtcDateTime.ToString("yyyyMMddHHmmssfff", CultureInfo.InvariantCulture) + "-v" + report.ModelVersion;
        var path = $"monitoring/{report.ModelName}/drift/{id}.json";
        await blobs.UploadTextAsync(names.ReportsContainer, path, JsonSerializer.Serialize(report, JsonSerializerOptions.Web), new BlobWriteOptions { ContentType = "application/json" }, cancellationToken).ConfigureAwait(false);
        var stored = new StoredDriftReport(id, report.ModelName, report.ModelVersion, report.ComputedAt, report.DatasetDrift, report.Prediction?.Verdict == DriftVerdict.Drift, report.DriftedFeatures, report.EvaluatedFeatures, path);
        await tables.UpsertAsync(names.DriftReportsTable, new TableEntity(report.ModelName, ReverseTimeKey.For(report.ComputedAt, id), new Dictionary<string, object?>
        {
            ["ReportId"] = id,
            ["Version"] = report.ModelVersion,
            ["ComputedAt"] = report.ComputedAt,
            ["DatasetDrift"] = stored.DatasetDrift,
            ["PredictionDrift"] = stored.PredictionDrift,
            ["DriftedFeatures"] = report.DriftedFeatures,
            ["EvaluatedFeatures"] = report.EvaluatedFeatures,
            ["BlobPath"] = path,
        }), cancellationToken: cancellationToken).ConfigureAwait(false);
        return stored;
    }

    /// <summary>A model's report summaries, newest first.</summary>
    public async Task<IReadOnlyList<StoredDriftReport>> ListAsync(string model, int take, CancellationToken cancellationToken)
    {
        await EnsureAsync(cancellationToken).ConfigureAwait(false);
        var reports = new List<StoredDriftReport>();
        await foreach (var row in tables.QueryAsync(names.DriftReportsTable, TableQuery.Partition(model) with { Take = take }, cancellationToken).ConfigureAwait(false))
        {
            reports.Add(new StoredDriftReport(
                row.GetString("ReportId")!,
                model,
                row.GetString("Version")!,
                row.GetDateTimeOffset("ComputedAt") ?? DateTimeOffset.MinValue,
                row.GetBoolean("DatasetDrift") ?? false,
                row.GetBoolean("PredictionDrift") ?? false,
                row.GetInt32("DriftedFeatures") ?? 0,
                row.GetInt32("EvaluatedFeatures") ?? 0,
                row.GetString("BlobPath")!));
            if (reports.Count == take)
            {
                break;
            }
        }

        return reports;
    }

    /// <summary>The newest full report of a model, or null when none was computed.</summary>
    public async Task<DriftReport?> GetLatestAsync(string model, CancellationToken cancellationToken)
    {
        var latest = (await ListAsync(model, 1, cancellationToken).ConfigureAwait(false)).FirstOrDefault();
        if (latest is null)
        {
            return null;
        }

        var json = await blobs.TryDownloadTextAsync(names.ReportsContainer, latest.BlobPath, cancellationToken).ConfigureAwait(false);
        return json is null ? null : JsonSerializer.Deserialize<DriftReport>(json, JsonSerializerOptions.Web);
    }

    private async Task EnsureAsync(CancellationToken cancellationToken)
    {
        if (Volatile.Read(ref _ready) == 1)
        {
            return;
        }

        await tables.CreateTableIfNotExistsAsync(names.DriftReportsTable, cancellationToken).ConfigureAwait(false);
        await blobs.CreateContainerIfNotExistsAsync(names.ReportsContainer, cancellationToken).ConfigureAwait(false);
        Volatile.Write(ref _ready, 1);
    }
}
