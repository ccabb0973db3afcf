using System.Diagnostics.Metrics;
using Serverless.Monitoring.Drift;
using Serverless.Monitoring.Performance;

namespace Serverless.Monitoring;

/// <summary>
/// The monitoring loop's instruments on meter <c>Serverless.Monitoring</c> (exported by the host, e.g. on <c>/metrics</c>):
/// drift checks, per-feature drift statistics, live performance and alerts.
/// </summary>
public sealed class MonitoringMetrics : IDisposable
{
    public const string MeterName = "Serverless.Monitoring";

    private readonly Meter _meter;
    private readonly Counter<long> _checks;
    private readonly Histogram<double> _statistics;
    private readonly Histogram<double> _driftShare;
    private readonly Histogram<double> _liveMetric;
    private readonly Counter<long> _alerts;

    public MonitoringMetrics(IMeterFactory meters)
    {
        ArgumentNullException.ThrowIfNull(meters);
        _meter = meters.Create(MeterName);
        _checks = _meter.CreateCounter<long>("mlops.drift.checks", description: "Drift checks, by model, version and dataset verdict.");
        _statistics = _meter.CreateHistogram<double>("mlops.drift.statistic", description: "Per-feature drift statistic (p-value tests report their statistic), by model, version, feature, test and verdict.");
        _driftShare = _meter.CreateHistogram<double>("mlops.drift.share", description: "Share of drifted features per drift check.");
        _liveMetric = _meter.CreateHistogram<double>("mlops.performance.live", description: "Live metric from feedback per performance check, by model, version and metric.");
        _alerts = _meter.CreateCounter<long>("mlops.alerts", description: "Monitoring alerts raised, by model and kind.");
    }

    public void RecordDrift(DriftReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        _checks.Add(1, new("model", report.ModelName), new("version", report.ModelVersion), new("dataset_drift", report.DatasetDrift));
        _driftShare.Record(report.DriftedShare, new("model", report.ModelName), new("version", report.ModelVersion));
        foreach (var feature in report.Prediction is null ? report.Features : report.Features.Append(report.Prediction))
        {
            if (feature.Statistic is double statistic)
            {
                _statistics.Record(statistic, new("model", report.ModelName), new("version", report.ModelVersion), new("feature", feature.Name), new("test", feature.Test.ToString()), new("verdict", feature.Verdict.ToString()));
            }
        }
    }

    public void RecordPerformance(PerformanceReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        if (report.Live is double live)
        {
            _liveMetric.Record(live, new("model", report.ModelName), new("version", report.ModelVersion), new("metric", report.Baseline.Metric.ToString()));
        }
    }

    public void RecordAlert(string model, string kind) => _alerts.Add(1, new("model", model), new("kind", kind));

    public void Dispose() => _meter.Dispose();
}
