using Serverless.Storage;

namespace Serverless.Monitoring.Stores;

/// <summary>Monitoring alerts: one row per alert (PK model, RK newest first).</summary>
public sealed class AlertStore(ITableStore tables, MonitoringStorageNames names, TimeProvider time)
{
    private int _ready;

    /// <summary>Records a new open alert.</summary>
    public async Task<MonitoringAlert> RaiseAsync(string model, string version, string kind, string message, string? reportId, CancellationToken cancellationToken)
    {
        await EnsureAsync(cancellationToken).ConfigureAwait(false);
        var now = time.GetUtcNow();
        var id = ReverseTimeKey.For(now, Guid.NewGuid().ToString("N")[..8]);
        var alert = new MonitoringAlert(id, model, version, kind, message, now, true, reportId);
        await tables.AddAsync(names.AlertsTable, new TableEntity(model, id, new Dictionary<string, object?>
        {
            ["Version"] = version,
            ["Kind"] = kind,
            ["Message"] = message,
            ["RaisedAt"] = now,
            ["IsOpen"] = true,
            ["ReportId"] = reportId,
        }), cancellationToken).ConfigureAwait(false);
        return alert;
    }

    /// <summary>A model's alerts, newest first; only open ones when <paramref name="openOnly"/>.</summary>
    public async Task<IReadOnlyList<MonitoringAlert>> ListAsync(string model, bool openOnly, CancellationToken cancellationToken)
    {
        await EnsureAsync(cancellationToken).ConfigureAwait(false);
        var alerts = new List<MonitoringAlert>();
        await foreach (var row in tables.QueryAsync(names.AlertsTable, TableQuery.Partition(model), cancellationToken).ConfigureAwait(false))
        {
            var alert = new MonitoringAlert(row.RowKey, model, row.GetString("Version")!, row.GetString("Kind")!, row.GetString("Message") ?? string.Empty,
                row.GetDateTimeOffset("RaisedAt") ?? DateTimeOffset.MinValue, row.GetBoolean("IsOpen") ?? false, row.GetString("ReportId"));
            if (!openOnly || alert.IsOpen)
            {
                alerts.Add(alert);
            }
        }

        return alerts;
    }

    /// <summary>Closes an alert; false when there is no such alert.</summary>
    public async Task<bool> ResolveAsync(string model, string id, CancellationToken cancellationToken)
    {
        await EnsureAsync(cancellationToken).ConfigureAwait(false);
        var row = await tables.GetAsync(names.AlertsTable, model, id, cancellationToken).ConfigureAwait(false);
        if (row is null)
        {
            return false;
        }

        await tables.UpdateAsync(names.AlertsTable, row.With(("IsOpen", false)), cancellationToken: cancellationToken).ConfigureAwait(false);
        return true;
    }

    private async Task EnsureAsync(CancellationToken cancellationToken)
    {
        if (Volatile.Read(ref _ready) == 0)
        {
            await tables.CreateTableIfNotExistsAsync(names.AlertsTable, cancellationToken).ConfigureAwait(false);
            Volatile.Write(ref _ready, 1);
        }
    }
}
