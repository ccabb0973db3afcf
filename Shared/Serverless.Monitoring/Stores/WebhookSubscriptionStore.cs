using System.Text.Json;
using Serverless.Monitoring.Webhooks;
using Serverless.Storage;

namespace Serverless.Monitoring.Stores;

/// <summary>
/// Webhook subscriptions (one partition). The secret is stored so events can be signed, but
/// <see cref="ListAsync"/> never returns it; only <see cref="GetSigningSubscriptionsAsync"/> (for the sender) does.
/// </summary>
public sealed class WebhookSubscriptionStore(ITableStore tables, MonitoringStorageNames names, TimeProvider time)
{
    private const string Partition = "webhook";
    private int _ready;

    /// <summary>Validates and stores a subscription; returns it without the secret.</summary>
    /// <exception cref="ArgumentException">The URL, secret or an event type is invalid (named in the message).</exception>
    public async Task<WebhookSubscriptionRecord> AddAsync(WebhookSubscription subscription, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(subscription);
        subscription.Validate();
        await EnsureAsync(cancellationToken).ConfigureAwait(false);
        var record = new WebhookSubscriptionRecord(Guid.NewGuid().ToString("N"), subscription.Url, subscription.EventTypes ?? [], time.GetUtcNow());
        await tables.AddAsync(names.WebhooksTable, new TableEntity(Partition, record.Id, new Dictionary<string, object?>
        {
            ["Url"] = record.Url.ToString(),
            ["Secret"] = subscription.Secret,
            ["EventTypes"] = JsonSerializer.Serialize(record.EventTypes),
            ["CreatedAt"] = record.CreatedAt,
        }), cancellationToken).ConfigureAwait(false);
        return record;
    }

    /// <summary>Every subscription, without secrets.</summary>
    public async Task<IReadOnlyList<WebhookSubscriptionRecord>> ListAsync(CancellationToken cancellationToken) =>
        (await ReadAsync(cancellationToken).ConfigureAwait(false)).Select(s => s.Record).ToList();

    /// <summary>Every subscription with its secret, for signing deliveries.</summary>
    public async Task<IReadOnlyList<WebhookSubscription>> GetSigningSubscriptionsAsync(CancellationToken cancellationToken) =>
        (await ReadAsync(cancellationToken).ConfigureAwait(false)).Select(s => s.Subscription).ToList();

    /// <summary>Removes a subscription; false when there is none with this id.</summary>
    public async Task<bool> RemoveAsync(string id, CancellationToken cancellationToken)
    {
        await EnsureAsync(cancellationToken).ConfigureAwait(false);
        return await tables.DeleteAsync(names.WebhooksTable, Partition, id, cancellationToken: cancellationToken).ConfigureAwait(false);
    }

    private async Task<List<(WebhookSubscriptionRecord Record, WebhookSubscription Subscription)>> ReadAsync(CancellationToken cancellationToken)
    {
        await EnsureAsync(cancellationToken).ConfigureAwait(false);
        var subscriptions = new List<(WebhookSubscriptionRecord, WebhookSubscription)>();
        await foreach (var row in tables.QueryAsync(names.WebhooksTable, TableQuery.Partition(Partition), cancellationToken).ConfigureAwait(false))
        {
            var url = new Uri(row.GetString("Url")!);
            var types = JsonSerializer.Deserialize<string[]>(row.GetString("EventTypes") ?? "[]") ?? [];
            subscriptions.Add((
                new WebhookSubscriptionRecord(row.RowKey, url, types, row.GetDateTimeOffset("CreatedAt") ?? DateTimeOffset.MinValue),
                new WebhookSubscription(url, row.GetString("Secret")!, types)));
        }

        return subscriptions;
    }

    private async Task EnsureAsync(CancellationToken cancellationToken)
    {
        if (Volatile.Read(ref _ready) == 0)
        {
            await tables.CreateTableIfNotExistsAsync(names.WebhooksTable, cancellationToken).ConfigureAwait(false);
            Volatile.Write(ref _ready, 1);
        }
    }
}
