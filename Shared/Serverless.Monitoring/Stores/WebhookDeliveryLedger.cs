using Serverless.Monitoring.Webhooks;
using Serverless.Storage;

namespace Serverless.Monitoring.Stores;

/// <summary>
/// What happened to each (event, webhook) pair an outbox dispatcher handled: one row per pair (partition = event id,
/// row = webhook id) written after the attempt, so a restarted dispatcher skips pairs already delivered and never sends
/// an event twice to the same webhook, except when it stopped between a delivery and its record (receivers then
/// deduplicate on the event id, which is also the <c>Idempotency-Key</c>).
/// </summary>
public sealed class WebhookDeliveryLedger(ITableStore tables, MonitoringStorageNames names, TimeProvider time)
{
    private int _ready;

    /// <summary>The recorded outcomes of <paramref name="eventId"/>, by webhook id.</summary>
    public async Task<IReadOnlyDictionary<string, WebhookDeliveryRecord>> GetAsync(string eventId, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(eventId);
        await EnsureAsync(cancellationToken).ConfigureAwait(false);
        var records = new Dictionary<string, WebhookDeliveryRecord>(StringComparer.Ordinal);
        await foreach (var row in tables.QueryAsync(names.WebhookDeliveriesTable, TableQuery.Partition(eventId), cancellationToken).ConfigureAwait(false))
        {
            records[row.RowKey] = new WebhookDeliveryRecord(
                row.PartitionKey,
                row.RowKey,
                row.GetBoolean("Delivered") ?? false,
                row.GetInt32("Passes") ?? 0,
                row.GetInt32("StatusCode"),
                row.GetString("Error"),
                row.GetDateTimeOffset("At") ?? DateTimeOffset.MinValue);
        }

        return records;
    }

    /// <summary>Records one dispatch pass of <paramref name="delivery"/> to webhook <paramref name="webhookId"/> (the pass count grows by one).</summary>
    public async Task<WebhookDeliveryRecord> RecordAsync(string webhookId, WebhookDelivery delivery, WebhookDeliveryRecord? previous, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(webhookId);
        ArgumentNullException.ThrowIfNull(delivery);
        await EnsureAsync(cancellationToken).ConfigureAwait(false);
        var record = new WebhookDeliveryRecord(delivery.EventId, webhookId, delivery.Delivered, (previous?.Passes ?? 0) + 1, delivery.StatusCode, delivery.Error, time.GetUtcNow());
        await tables.UpsertAsync(names.WebhookDeliveriesTable, new TableEntity(record.EventId, record.WebhookId, new Dictionary<string, object?>
        {
            ["Delivered"] = record.Delivered,
            ["Passes"] = record.Passes,
            ["StatusCode"] = record.StatusCode,
            ["Error"] = record.Error,
            ["At"] = record.At,
            ["Url"] = delivery.Url.ToString(),
            ["EventType"] = delivery.EventType,
        }), cancellationToken: cancellationToken).ConfigureAwait(false);
        return record;
    }

    /// <summary>Deletes the records written before <paramref name="before"/>; returns how many.</summary>
    public Task<int> PurgeBeforeAsync(DateTimeOffset before, CancellationToken cancellationToken) =>
        tables.DeleteRowsBeforeAsync(names.WebhookDeliveriesTable, "At", before, cancellationToken);

    private async Task EnsureAsync(CancellationToken cancellationToken)
    {
        if (Volatile.Read(ref _ready) == 0)
        {
            await tables.CreateTableIfNotExistsAsync(names.WebhookDeliveriesTable, cancellationToken).ConfigureAwait(false);
            Volatile.Write(ref _ready, 1);
        }
    }
}
