namespace Serverless.Monitoring.Stores;

/// <summary>Where monitoring keeps its state: tables for report summaries, alerts, webhook subscriptions and delivery records, and retrain cool-downs, and a container for full reports.</summary>
public sealed record MonitoringStorageNames
{
    public string DriftReportsTable { get; init; } = "DriftReports";

    public string AlertsTable { get; init; } = "MonitoringAlerts";

    public string WebhooksTable { get; init; } = "WebhookSubscriptions";

    public string RetrainsTable { get; init; } = "MonitoringRetrains";

    /// <summary>Per event and webhook, the outcome of an outbox dispatch (<see cref="WebhookDeliveryLedger"/>).</summary>
    public string WebhookDeliveriesTable { get; init; } = "WebhookDeliveries";

    /// <summary>Full drift reports as JSON blobs, under <c>monitoring/{model}/drift/</c>.</summary>
    public string ReportsContainer { get; init; } = "artifacts";

    /// <summary>The same names, each table prefixed (the product's table prefix).</summary>
    public static MonitoringStorageNames WithPrefix(string prefix, string reportsContainer) => new()
    {
        DriftReportsTable = prefix + "DriftReports",
        AlertsTable = prefix + "MonitoringAlerts",
        WebhooksTable = prefix + "WebhookSubscriptions",
        RetrainsTable = prefix + "MonitoringRetrains",
        WebhookDeliveriesTable = prefix + "WebhookDeliveries",
        ReportsContainer = reportsContainer,
    };
}
