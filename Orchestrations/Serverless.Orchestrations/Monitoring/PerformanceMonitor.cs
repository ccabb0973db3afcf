using System.Globalization;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Serverless.Domain.Models;
using Serverless.Monitoring.Performance;
using Serverless.Monitoring.Stores;
using Serverless.Monitoring.Webhooks;
using Serverless.Orchestrations.Training;
using Serverless.Registry;
using Serverless.Monitoring;
using Serverless.Serving.PredictionLogging;

namespace Serverless.Orchestrations.Monitoring;

/// <summary>
/// Live performance of the monitored version: feedback (predictions joined to actual labels) over the performance
/// window, held to the version's registered evaluation metric. Degradation raises an alert, a
/// <c>performance.degraded</c> webhook and, when the project says <c>retrainOnDrift</c>, a retraining run.
/// </summary>
public sealed partial class PerformanceMonitor(
    ProductionModel production,
    PredictionLogStore log,
    AlertStore alerts,
    WebhookPublisher webhooks,
    RetrainTrigger retrain,
    MonitoringMetrics metrics,
    IOptions<MonitoringLoopOptions> options,
    IOptions<PerformanceOptions> performance,
    TimeProvider time,
    ILogger<PerformanceMonitor> logger)
{
    /// <summary>Evaluates the live performance; with <paramref name="raiseAlerts"/>, degradation alerts, notifies and may retrain.</summary>
    public async Task<PerformanceCheckResult> CheckAsync(string model, string? correlationId, bool raiseAlerts, CancellationToken cancellationToken)
    {
        var (project, version, missing) = await production.FindAsync(model, cancellationToken).ConfigureAwait(false);
        if (version is null)
        {
            return new PerformanceCheckResult(model, null, missing);
        }

        if (Baseline(version) is not { } baseline)
        {
            return new PerformanceCheckResult(model, null, $"Version {version.Version} of model '{model}' has no accuracy, rmse or mae among its registered metrics.");
        }

        var now = time.GetUtcNow();
        var window = new MonitoringWindow(now - options.Value.PerformanceWindow, now);
        var rows = await log.ReadFeedbackAsync(model, version.Version, window.From, window.To, options.Value.MaxRows, cancellationToken).ConfigureAwait(false);
        var versionText = version.Version.ToString(CultureInfo.InvariantCulture);
        var report = baseline.Metric.IsClassification()
            ? PerformanceWindow.EvaluateClassification(model, versionText, window, rows.Select(r => new LabelledClass(r.Output, r.Actual)), baseline, performance.Value)
            : PerformanceWindow.EvaluateRegression(model, versionText, window, rows.Select(r => new LabelledValue(Number(r.Output), Number(r.Actual))).Where(r => double.IsFinite(r.Predicted)), baseline, performance.Value);
        metrics.RecordPerformance(report);
        Log.Checked(logger, model, version.Version, report.LabelledRows, report.Verdict.ToString());
        if (report.Verdict != PerformanceVerdict.Degraded || !raiseAlerts)
        {
            return new PerformanceCheckResult(model, report, null);
        }

        var message = $"Live {baseline.Metric} {report.Live:G4} over {report.LabelledRows} labelled predictions is worse than the evaluation's {baseline.Value:G4} by {Math.Abs(report.RelativeChange ?? 0):P1}.";
        var alert = await alerts.RaiseAsync(model, versionText, AlertKinds.PerformanceDegraded, message, null, cancellationToken).ConfigureAwait(false);
        metrics.RecordAlert(model, AlertKinds.PerformanceDegraded);
        await webhooks.PublishAsync(WebhookEventTypes.PerformanceDegraded, $"models/{model}/versions/{version.Version}", new
        {
            model,
            version = version.Version,
            metric = baseline.Metric.ToString(),
            baseline = baseline.Value,
            live = report.Live,
            report.LabelledRows,
            message,
        }, cancellationToken).ConfigureAwait(false);

        RetrainDecision? decision = null;
        if (project?.Spec.Monitoring.RetrainOnDrift == true)
        {
            decision = await retrain.TryStartAsync(new RetrainRequest(project.Name, version, RunTriggers.Degradation, "performance degraded: " + message, correlationId), cancellationToken).ConfigureAwait(false);
        }

        return new PerformanceCheckResult(model, report, null, alert, decision);
    }

    /// <summary>The registered metric live quality is held to: accuracy for classifiers, RMSE (or MAE) for regressors.</summary>
    internal static PerformanceBaseline? Baseline(ModelVersion version)
    {
        var metrics = version.Metrics;
        if (version.Signature.Task == TaskKind.Regression)
        {
            return metrics.TryGetValue("rmse", out var rmse) ? new PerformanceBaseline(PerformanceMetric.Rmse, rmse)
                : metrics.TryGetValue("mae", out var mae) ? new PerformanceBaseline(PerformanceMetric.Mae, mae)
                : null;
        }

        return metrics.TryGetValue("accuracy", out var accuracy) ? new PerformanceBaseline(PerformanceMetric.Accuracy, accuracy)
            : metrics.TryGetValue("microAccuracy", out var micro) ? new PerformanceBaseline(PerformanceMetric.Accuracy, micro)
            : null;
    }

    private static double Number(string? text) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) ? value : double.NaN;

    private static partial class Log
    {
        [LoggerMessage(EventId = 6532, Level = LogLevel.Information, Message = "Performance check of {Model} v{Version}: {Rows} labelled predictions, {Verdict}")]
        public static partial void Checked(ILogger logger, string model, int version, int rows, string verdict);
    }
}
