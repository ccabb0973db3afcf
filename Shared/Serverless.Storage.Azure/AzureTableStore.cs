using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using System.Text;
using Azure;
using Azure.Data.Tables;
using AzureETag = Azure.ETag;
using SdkEntity = Azure.Data.Tables.TableEntity;

namespace Serverless.Storage.Azure;

/// <summary><see cref="ITableStore"/> on Azure Table storage.</summary>
public sealed class AzureTableStore(AzureStorageClients clients) : ITableStore
{
    private static readonly HashSet<string> SystemProperties = new(StringComparer.Ordinal)
    {
        "PartitionKey", "RowKey", "Timestamp", "odata.etag", "ETag",
    };

    private readonly ConcurrentDictionary<string, TableClient> _tables = new(StringComparer.Ordinal);

    private TableClient Table(string table) =>
        _tables.GetOrAdd(table, static (name, service) => service.GetTableClient(name), clients.Tables);

    public async Task CreateTableIfNotExistsAsync(string table, CancellationToken cancellationToken = default)
    {
        try
        {
            await Table(table).CreateIfNotExistsAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (RequestFailedException e) when (e.Status == 409)
        {
            // Created concurrently by another host.
        }
    }

    public async Task<TableEntity?> GetAsync(string table, string partitionKey, string rowKey, CancellationToken cancellationToken = default)
    {
        var response = await Table(table).GetEntityIfExistsAsync<SdkEntity>(partitionKey, rowKey, cancellationToken: cancellationToken).ConfigureAwait(false);
        return response.HasValue ? FromSdk(response.Value!) : null;
    }

    public async Task<ETag> AddAsync(string table, TableEntity entity, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(entity);
        try
        {
            var response = await Table(table).AddEntityAsync(ToSdk(entity), cancellationToken).ConfigureAwait(false);
            return new ETag(response.Headers.ETag?.ToString() ?? string.Empty);
        }
        catch (RequestFailedException e)
        {
            throw AzureErrors.Translate(e, Describe(table, entity));
        }
    }

    public async Task<ETag> UpsertAsync(string table, TableEntity entity, bool merge = false, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(entity);
        try
        {
            var response = await Table(table).UpsertEntityAsync(ToSdk(entity), merge ? TableUpdateMode.Merge : TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
            return new ETag(response.Headers.ETag?.ToString() ?? string.Empty);
        }
        catch (RequestFailedException e)
        {
            throw AzureErrors.Translate(e, Describe(table, entity));
        }
    }

    public async Task<ETag> UpdateAsync(string table, TableEntity entity, bool merge = false, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(entity);
        try
        {
            var etag = entity.ETag is { Value.Length: > 0 } e ? new AzureETag(e.Value) : AzureETag.All;
            var response = await Table(table).UpdateEntityAsync(ToSdk(entity), etag, merge ? TableUpdateMode.Merge : TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
            return new ETag(response.Headers.ETag?.ToString() ?? string.Empty);
        }
        catch (RequestFailedException e)
        {
            throw AzureErrors.Translate(e, Describe(table, entity));
        }
    }

    public async Task<bool> DeleteAsync(string table, string partitionKey, string rowKey, ETag? ifMatch = null, CancellationToken cancellationToken = default)
    {
        try
        {
            var etag = ifMatch is { } e ? new AzureETag(e.Value) : AzureETag.All;
            var response = await Table(table).DeleteEntityAsync(partitionKey, rowKey, etag, cancellationToken).ConfigureAwait(false);
            return response.Status != 404;
        }
        catch (RequestFailedException e) when (AzureErrors.IsNotFound(e))
        {
            return false;
        }
        catch (RequestFailedException e)
        {
            throw AzureErrors.Translate(e, $"Row '{partitionKey}/{rowKey}' of table '{table}'");
        }
    }

    public async IAsyncEnumerable<TableEntity> QueryAsync(string table, TableQuery query, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        var filter = BuildFilter(query);
        var remaining = query.Take ?? int.MaxValue;
        var pageSize = Math.Min(remaining, 1000);
        // A projection always keeps the keys, so projected rows can still be addressed (updated, deleted).
        var select = query.Select is null ? null : query.Select.Union(["PartitionKey", "RowKey"], StringComparer.Ordinal).ToList();
        var pages = Table(table).QueryAsync<SdkEntity>(filter, pageSize, select, cancellationToken).AsPages();
        await using var enumerator = pages.GetAsyncEnumerator(cancellationToken);
        while (remaining > 0)
        {
            try
            {
                if (!await enumerator.MoveNextAsync().ConfigureAwait(false))
                {
                    yield break;
                }
            }
            catch (RequestFailedException e) when (AzureErrors.IsNotFound(e))
            {
                yield break; // the table does not exist yet
            }

            foreach (var entity in enumerator.Current.Values)
            {
                yield return FromSdk(entity);
                if (--remaining == 0)
                {
                    yield break;
                }
            }
        }
    }

    public async Task<IReadOnlyList<ETag?>> SubmitTransactionAsync(string table, IReadOnlyList<TableOperation> operations, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(operations);
        if (operations.Count == 0)
        {
            return [];
        }

        var actions = operations.Select(ToAction).ToList();
        try
        {
            var response = await Table(table).SubmitTransactionAsync(actions, cancellationToken).ConfigureAwait(false);
            return response.Value
                .Select((r, i) => operations[i].Kind == TableOperationKind.Delete ? (ETag?)null : new ETag(r.Headers.ETag?.ToString() ?? string.Empty))
                .ToList();
        }
        catch (TableTransactionFailedException e)
        {
            var failed = e.FailedTransactionActionIndex is int index && index < operations.Count ? operations[index].Entity : operations[0].Entity;
            throw AzureErrors.Translate(e, $"Transaction on table '{table}' (row '{failed.PartitionKey}/{failed.RowKey}')");
        }
        catch (RequestFailedException e)
        {
            throw AzureErrors.Translate(e, $"Transaction on table '{table}'");
        }
    }

    private static TableTransactionAction ToAction(TableOperation operation)
    {
        var entity = ToSdk(operation.Entity);
        // Rows read with a projection (Select) carry no ETag: unconditional, as for a row never read.
        var etag = operation.Entity.ETag is { Value.Length: > 0 } e ? new AzureETag(e.Value) : AzureETag.All;
        return operation.Kind switch
        {
            TableOperationKind.Add => new TableTransactionAction(TableTransactionActionType.Add, entity),
            TableOperationKind.Upsert => new TableTransactionAction(TableTransactionActionType.UpsertReplace, entity),
            TableOperationKind.UpsertMerge => new TableTransactionAction(TableTransactionActionType.UpsertMerge, entity),
            TableOperationKind.Update => new TableTransactionAction(TableTransactionActionType.UpdateReplace, entity, etag),
            TableOperationKind.Delete => new TableTransactionAction(TableTransactionActionType.Delete, entity, etag),
            _ => throw new ArgumentOutOfRangeException(nameof(operation), operation.Kind, "Unknown table operation."),
        };
    }

    private static string? BuildFilter(TableQuery query)
    {
        var parts = new List<string>(4);
        if (query.PartitionKey is not null)
        {
            parts.Add($"PartitionKey eq {TableQuery.Quote(query.PartitionKey)}");
        }

        if (query.RowKeyFrom is not null)
        {
            parts.Add($"RowKey ge {TableQuery.Quote(query.RowKeyFrom)}");
        }

        if (query.RowKeyBefore is not null)
        {
            parts.Add($"RowKey lt {TableQuery.Quote(query.RowKeyBefore)}");
        }

        if (!string.IsNullOrWhiteSpace(query.Filter))
        {
            parts.Add("(" + query.Filter + ")");
        }

        return parts.Count == 0 ? null : string.Join(" and ", parts);
    }

    private static SdkEntity ToSdk(TableEntity entity)
    {
        var sdk = new SdkEntity(entity.PartitionKey, entity.RowKey);
        foreach (var (key, value) in entity.Properties)
        {
            if (value is not null)
            {
                sdk[key] = value;
            }
        }

        return sdk;
    }

    private static TableEntity FromSdk(SdkEntity sdk)
    {
        var properties = new Dictionary<string, object?>(sdk.Count, StringComparer.Ordinal);
        foreach (var (key, value) in sdk)
        {
            if (!SystemProperties.Contains(key) && !key.EndsWith("@odata.type", StringComparison.Ordinal))
            {
                properties[key] = value is DateTime dt ? new DateTimeOffset(DateTime.SpecifyKind(dt, DateTimeKind.Utc)) : value;
            }
        }

        return new TableEntity(sdk.PartitionKey, sdk.RowKey, properties)
        {
            ETag = sdk.ETag.ToString() is { Length: > 0 } etag ? new ETag(etag) : null,
            Timestamp = sdk.Timestamp,
        };
    }

    private static string Describe(string table, TableEntity entity) =>
        new StringBuilder().Append("Row '").Append(entity.PartitionKey).Append('/').Append(entity.RowKey).Append("' of table '").Append(table).Append('\'').ToString();
}
