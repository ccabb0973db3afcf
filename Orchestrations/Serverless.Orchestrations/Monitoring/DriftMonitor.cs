using System.Globalization;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Serverless.Monitoring.Drift;
using Serverless.Monitoring.Stores;
using Serverless.Monitoring.Webhooks;
using Serverless.Orchestrations.Training;
using Serverless.Monitoring;
using Serverless.Serving.PredictionLogging;

namespace Serverless.Orchestrations.Monitoring;

/// <summary>
/// One drift check of a model: the monitored version's logged inputs over the drift window against the profile of the
/// dataset version it was trained on. The report is stored; drift raises an alert, a <c>drift.detected</c> webhook and,
/// when the project says <c>retrainOnDrift</c>, a retraining run. The alert says where each drifted feature ranks in the
/// version's permutation feature importance (<c>importance rank 2 of 13</c>), when the version has one.
/// </summary>
public sealed partial class DriftMonitor(
    ProductionModel production,
    TrainingReference reference,
    PredictionLogStore log,
    DriftAnalyzer analyzer,
    DriftReportStore reports,
    AlertStore alerts,
    WebhookPublisher webhooks,
    RetrainTrigger retrain,
    MonitoringMetrics metrics,
    IOptions<MonitoringLoopOptions> options,
    TimeProvider time,
    ILogger<DriftMonitor> logger)
{
    public async Task<DriftCheckResult> CheckAsync(string model, string? correlationId, CancellationToken cancellationToken)
    {
        var (project, version, missing) = await production.FindAsync(model, cancellationToken).ConfigureAwait(false);
        if (version is null)
        {
            return new DriftCheckResult(model, null, null, missing);
        }

        var (profile, noProfile) = await reference.LoadProfileAsync(version, cancellationToken).ConfigureAwait(false);
        if (profile is null)
        {
            return new DriftCheckResult(model, null, null, noProfile);
        }

        var settings = options.Value;
        var now = time.GetUtcNow();
        var window = new MonitoringWindow(now - settings.DriftWindow, now);
        var rows = await log.ReadPredictionsAsync(model, version.Version, window.From, window.To, settings.MaxRows, cancellationToken).ConfigureAwait(false);
        var (features, prediction) = TrainingReference.Compare(version.Signature, profile, rows);
        var report = analyzer.Analyze(new DriftRequest(
            model,
            version.Version.ToString(CultureInfo.InvariantCulture),
            window,
            features,
            prediction,
            project?.Spec.Monitoring.DriftShare));
        var stored = await reports.SaveAsync(report, cancellationToken).ConfigureAwait(false);
        metrics.RecordDrift(report);
        Log.Checked(logger, model, version.Version, rows.Count, report.DriftedFeatures, report.EvaluatedFeatures, report.DatasetDrift);
        if (!report.AnyDrift)
        {
            return new DriftCheckResult(model, report, stored, null);
        }

        var drifted = report.Features.Where(f => f.Verdict == DriftVerdict.Drift).Select(f => f.Name).ToList();
        var message = report.DatasetDrift
            ? string.Create(CultureInfo.InvariantCulture, $"Dataset drift: {report.DriftedFeatures} of {report.EvaluatedFeatures} features drifted ({string.Join(", ", drifted.Select(f => WithRank(f, version.FeatureImportance)))}; share {report.DriftedShare:0.##} ≥ driftShare {report.DriftShareThreshold:0.##}).")
            : string.Create(CultureInfo.InvariantCulture, $"Prediction drift ({report.Prediction?.Test}, statistic {report.Prediction?.Statistic:G4}).");
        var alert = await alerts.RaiseAsync(model, report.ModelVersion, AlertKinds.DriftDetected, message, stored.Id, cancellationToken).ConfigureAwait(false);
        metrics.RecordAlert(model, AlertKinds.DriftDetected);
        await webhooks.PublishAsync(WebhookEventTypes.DriftDetected, $"models/{model}/versions/{version.Version}", new
        {
            model,
            version = version.Version,
            reportId = stored.Id,
            report.DatasetDrift,
            predictionDrift = stored.PredictionDrift,
            driftedFeatures = drifted,
            driftedFeatureRanks = drifted.ToDictionary(f => f, f => RankOf(f, version.FeatureImportance)),
            report.DriftedShare,
            message,
        }, cancellationToken).ConfigureAwait(false);

        RetrainDecision? decision = null;
        if (project?.Spec.Monitoring.RetrainOnDrift == true)
        {
            decision = await retrain.TryStartAsync(new RetrainRequest(project.Name, version, RunTriggers.Drift, $"drift report {stored.Id}: {message}", correlationId), cancellationToken).ConfigureAwait(false);
        }

        return new DriftCheckResult(model, report, stored, null, alert, decision);
    }

    /// <summary>The feature's 1-based place in the version's importance ranking; null when not ranked.</summary>
    private static int? RankOf(string feature, IReadOnlyList<Serverless.Domain.Models.FeatureImportance>? importance)
    {
        var index = importance?.Select(f => f.Feature).ToList().IndexOf(feature) ?? -1;
        return index < 0 ? null : index + 1;
    }

    private static string WithRank(string feature, IReadOnlyList<Serverless.Domain.Models.FeatureImportance>? importance) =>
        RankOf(feature, importance) is int rank
            ? string.Create(CultureInfo.InvariantCulture, $"{feature} (importance rank {rank} of {importance!.Count})")
            : feature;

    private static partial class Log
    {
        [LoggerMessage(EventId = 6531, Level = LogLevel.Information, Message = "Drift check of {Model} v{Version}: {Rows} logged rows, {Drifted}/{Evaluated} features drifted, dataset drift {DatasetDrift}")]
        public static partial void Checked(ILogger logger, string model, int version, int rows, int drifted, int evaluated, bool datasetDrift);
    }
}
