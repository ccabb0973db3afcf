namespace Serverless.Monitoring.Stores;

/// <summary>Alert kinds.</summary>
public static class AlertKinds
{
    public const string DriftDetected = "drift_detected";
    public const string PerformanceDegraded = "performance_degraded";
}

/// <summary>A raised monitoring alert: what happened to which model version, and when; open until resolved.</summary>
public sealed record MonitoringAlert(
    string Id,
    string Model,
    string Version,
    string Kind,
    string Message,
    DateTimeOffset RaisedAt,
    bool IsOpen,
    string? ReportId = null);
