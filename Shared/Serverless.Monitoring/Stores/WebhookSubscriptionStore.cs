using System.Text.Json;
using Microsoft.Extensions.Logging;
using Serverless.Monitoring.Webhooks;
using Serverless.Storage;

namespace Serverless.Monitoring.Stores;

/// <summary>
/// Webhook subscriptions (one partition). The secret is stored encrypted (<see cref="WebhookSecretProtector"/>, column
/// <c>Secret</c> with <c>SecretFormat</c> = <see cref="WebhookSecretProtector.Format"/>) so events can be signed;
/// <see cref="ListAsync"/> never returns it, only <see cref="GetSigningSubscriptionsAsync"/> (for the sender) does. Rows
/// written before encryption (plaintext, no <c>SecretFormat</c>) keep working and are encrypted when next read.
/// </summary>
public sealed partial class WebhookSubscriptionStore(
    ITableStore tables,
    MonitoringStorageNames names,
    WebhookSecretProtector secrets,
    TimeProvider time,
    ILogger<WebhookSubscriptionStore> logger,
    WebhookDestinationPolicy destinations)
{
    private const string Partition = "webhook";
    private int _ready;

    /// <summary>Validates and stores a subscription (secret encrypted); returns it without the secret.</summary>
    /// <exception cref="ArgumentException">The URL, secret or an event type is invalid (named in the message).</exception>
    /// <exception cref="WebhookDestinationException">The URL's host resolves to a non-public address and <see cref="WebhookDestinationPolicy"/> refuses it.</exception>
    /// <exception cref="WebhookSecretException">No secret key is configured.</exception>
    public async Task<WebhookSubscriptionRecord> AddAsync(WebhookSubscription subscription, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(subscription);
        subscription.Validate();
        await destinations.EnsureAllowedAsync(subscription.Url, cancellationToken).ConfigureAwait(false);
        await EnsureAsync(cancellationToken).ConfigureAwait(false);
        var record = new WebhookSubscriptionRecord(Guid.NewGuid().ToString("N"), subscription.Url, subscription.EventTypes ?? [], time.GetUtcNow());
        await tables.AddAsync(names.WebhooksTable, new TableEntity(Partition, record.Id, new Dictionary<string, object?>
        {
            ["Url"] = record.Url.ToString(),
            ["Secret"] = secrets.Protect(record.Id, subscription.Secret),
            ["SecretFormat"] = WebhookSecretProtector.Format,
            ["EventTypes"] = JsonSerializer.Serialize(record.EventTypes),
            ["CreatedAt"] = record.CreatedAt,
        }), cancellationToken).ConfigureAwait(false);
        return record;
    }

    /// <summary>Every subscription, without secrets (never decrypts, so it works whatever the key).</summary>
    public async Task<IReadOnlyList<WebhookSubscriptionRecord>> ListAsync(CancellationToken cancellationToken)
    {
        var records = new List<WebhookSubscriptionRecord>();
        await foreach (var row in QueryAsync(cancellationToken).ConfigureAwait(false))
        {
            records.Add(Record(row));
        }

        return records;
    }

    /// <summary>
    /// Every subscription whose secret can be read, with its plaintext secret and id, for signing deliveries. A
    /// subscription whose secret cannot be decrypted is logged as an error naming it and left out (its events are not
    /// sent) rather than failing every delivery.
    /// </summary>
    public async Task<IReadOnlyList<WebhookSubscription>> GetSigningSubscriptionsAsync(CancellationToken cancellationToken)
    {
        var subscriptions = new List<WebhookSubscription>();
        await foreach (var row in QueryAsync(cancellationToken).ConfigureAwait(false))
        {
            try
            {
                subscriptions.Add(await SigningAsync(row, cancellationToken).ConfigureAwait(false));
            }
            catch (WebhookSecretException e)
            {
                LogUnreadableSecret(logger, e, row.RowKey, e.Message);
            }
        }

        return subscriptions;
    }

    /// <summary>One subscription with its plaintext secret.</summary>
    /// <exception cref="WebhookSecretException">Its secret cannot be decrypted (the message names the webhook and the setting).</exception>
    /// <exception cref="StorageNotFoundException">There is no subscription <paramref name="id"/>.</exception>
    public async Task<WebhookSubscription> GetSigningSubscriptionAsync(string id, CancellationToken cancellationToken)
    {
        await EnsureAsync(cancellationToken).ConfigureAwait(false);
        var row = await tables.GetAsync(names.WebhooksTable, Partition, id, cancellationToken).ConfigureAwait(false)
            ?? throw new StorageNotFoundException($"There is no webhook subscription '{id}'.");
        return await SigningAsync(row, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Removes a subscription; false when there is none with this id.</summary>
    public async Task<bool> RemoveAsync(string id, CancellationToken cancellationToken)
    {
        await EnsureAsync(cancellationToken).ConfigureAwait(false);
        return await tables.DeleteAsync(names.WebhooksTable, Partition, id, cancellationToken: cancellationToken).ConfigureAwait(false);
    }

    private async Task<WebhookSubscription> SigningAsync(TableEntity row, CancellationToken cancellationToken)
    {
        var record = Record(row);
        var stored = row.GetString("Secret");
        if (string.IsNullOrEmpty(stored))
        {
            throw new WebhookSecretException($"Webhook '{row.RowKey}' has no stored secret."); // logged: no URL
        }

        string secret;
        if (row.GetString("SecretFormat") == WebhookSecretProtector.Format)
        {
            secret = secrets.Unprotect(row.RowKey, stored);
        }
        else
        {
            secret = stored; // written before secrets were encrypted
            await EncryptLegacyAsync(row, secret, cancellationToken).ConfigureAwait(false);
        }

        return new WebhookSubscription(record.Url, secret, record.EventTypes) { Id = record.Id };
    }

    /// <summary>Replaces a plaintext secret by its encrypted form (guarded by the row's ETag; a concurrent change wins).</summary>
    private async Task EncryptLegacyAsync(TableEntity row, string secret, CancellationToken cancellationToken)
    {
        if (!secrets.HasKey)
        {
            return;
        }

        try
        {
            await tables.UpdateAsync(names.WebhooksTable, row.With(("Secret", secrets.Protect(row.RowKey, secret)), ("SecretFormat", WebhookSecretProtector.Format)), cancellationToken: cancellationToken).ConfigureAwait(false);
            LogEncrypted(logger, row.RowKey);
        }
        catch (Exception e) when (e is StorageConflictException or StorageNotFoundException)
        {
            // Changed or removed meanwhile: the next read decides again.
        }
    }

    private static WebhookSubscriptionRecord Record(TableEntity row)
    {
        var types = JsonSerializer.Deserialize<string[]>(row.GetString("EventTypes") ?? "[]") ?? [];
        return new WebhookSubscriptionRecord(row.RowKey, new Uri(row.GetString("Url")!), types, row.GetDateTimeOffset("CreatedAt") ?? DateTimeOffset.MinValue);
    }

    private async IAsyncEnumerable<TableEntity> QueryAsync([System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await EnsureAsync(cancellationToken).ConfigureAwait(false);
        await foreach (var row in tables.QueryAsync(names.WebhooksTable, TableQuery.Partition(Partition), cancellationToken).ConfigureAwait(false))
        {
            yield return row;
        }
    }

    private async Task EnsureAsync(CancellationToken cancellationToken)
    {
        if (Volatile.Read(ref _ready) == 0)
        {
            await tables.CreateTableIfNotExistsAsync(names.WebhooksTable, cancellationToken).ConfigureAwait(false);
            Volatile.Write(ref _ready, 1);
        }
    }

    [LoggerMessage(EventId = 6110, Level = LogLevel.Error, Message = "Webhook {WebhookId} is skipped: {Problem}")]
    private static partial void LogUnreadableSecret(ILogger logger, Exception exception, string webhookId, string problem);

    [LoggerMessage(EventId = 6111, Level = LogLevel.Information, Message = "Encrypted the plaintext secret of webhook {WebhookId} at rest")]
    private static partial void LogEncrypted(ILogger logger, string webhookId);
}
