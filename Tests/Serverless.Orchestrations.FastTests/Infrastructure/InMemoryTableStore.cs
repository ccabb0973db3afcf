using System.Runtime.CompilerServices;
using Serverless.Storage;

namespace Serverless.Orchestrations.FastTests.Infrastructure;

/// <summary>
/// Table storage in memory with the semantics <see cref="ITableStore"/> promises: ETags change at every write,
/// guarded updates and deletes fail with <see cref="StorageConflictException"/>, a transaction applies all or nothing,
/// queries return rows in key order. OData <see cref="TableQuery.Filter"/> is not supported.
/// </summary>
internal sealed class InMemoryTableStore : ITableStore
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, SortedDictionary<(string Partition, string Row), TableEntity>> _tables = new(StringComparer.Ordinal);

    public Task CreateTableIfNotExistsAsync(string table, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            Table(table);
        }

        return Task.CompletedTask;
    }

    public Task<TableEntity?> GetAsync(string table, string partitionKey, string rowKey, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            return Task.FromResult(Table(table).GetValueOrDefault((partitionKey, rowKey)));
        }
    }

    public Task<ETag> AddAsync(string table, TableEntity entity, CancellationToken cancellationToken = default) =>
        Single(table, TableOperation.Add(entity));

    public Task<ETag> UpsertAsync(string table, TableEntity entity, bool merge = false, CancellationToken cancellationToken = default) =>
        Single(table, merge ? TableOperation.UpsertMerge(entity) : TableOperation.Upsert(entity));

    public Task<ETag> UpdateAsync(string table, TableEntity entity, bool merge = false, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(entity);
        lock (_gate)
        {
            var rows = Table(table);
            if (!rows.TryGetValue((entity.PartitionKey, entity.RowKey), out var current))
            {
                throw new StorageNotFoundException($"{table}: no row {entity.PartitionKey}/{entity.RowKey}.");
            }

            var updated = merge ? Merge(current, entity) : entity;
            return Task.FromResult(Apply(table, [TableOperation.Update(updated)])[0]!.Value);
        }
    }

    public Task<bool> DeleteAsync(string table, string partitionKey, string rowKey, ETag? ifMatch = null, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            if (!Table(table).ContainsKey((partitionKey, rowKey)))
            {
                return Task.FromResult(false);
            }

            Apply(table, [TableOperation.Delete(new TableEntity(partitionKey, rowKey) { ETag = ifMatch ?? ETag.All })]);
            return Task.FromResult(true);
        }
    }

    public async IAsyncEnumerable<TableEntity> QueryAsync(string table, TableQuery query, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        if (query.Filter is not null)
        {
            throw new NotSupportedException("The in-memory table store does not evaluate OData filters.");
        }

        List<TableEntity> rows;
        lock (_gate)
        {
            rows = [.. Table(table).Values.Where(row =>
                (query.PartitionKey is null || row.PartitionKey == query.PartitionKey)
                && (query.RowKeyFrom is null || string.CompareOrdinal(row.RowKey, query.RowKeyFrom) >= 0)
                && (query.RowKeyBefore is null || string.CompareOrdinal(row.RowKey, query.RowKeyBefore) < 0))
                .Take(query.Take ?? int.MaxValue)];
        }

        foreach (var row in rows)
        {
            cancellationToken.ThrowIfCancellationRequested();
            await Task.Yield();
            yield return row;
        }
    }

    public Task<IReadOnlyList<ETag?>> SubmitTransactionAsync(string table, IReadOnlyList<TableOperation> operations, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(operations);
        lock (_gate)
        {
            return Task.FromResult<IReadOnlyList<ETag?>>(Apply(table, operations));
        }
    }

    private Task<ETag> Single(string table, TableOperation operation)
    {
        lock (_gate)
        {
            return Task.FromResult(Apply(table, [operation])[0]!.Value);
        }
    }

    /// <summary>Checks every condition first, then writes: all or nothing. Call under the lock.</summary>
    private List<ETag?> Apply(string table, IReadOnlyList<TableOperation> operations)
    {
        var rows = Table(table);
        foreach (var (kind, entity) in operations)
        {
            var exists = rows.TryGetValue((entity.PartitionKey, entity.RowKey), out var current);
            var guarded = entity.ETag is { } tag && tag != ETag.All;
            switch (kind)
            {
                case TableOperationKind.Add when exists:
                    throw new StorageConflictException($"{table}: row {entity.PartitionKey}/{entity.RowKey} exists.");
                case TableOperationKind.Update or TableOperationKind.Delete when !exists:
                    throw new StorageNotFoundException($"{table}: no row {entity.PartitionKey}/{entity.RowKey}.");
                case TableOperationKind.Update or TableOperationKind.Delete when guarded && current!.ETag != entity.ETag:
                    throw new StorageConflictException($"{table}: row {entity.PartitionKey}/{entity.RowKey} changed.");
            }
        }

        var tags = new List<ETag?>();
        foreach (var (kind, entity) in operations)
        {
            var key = (entity.PartitionKey, entity.RowKey);
            if (kind == TableOperationKind.Delete)
            {
                rows.Remove(key);
                tags.Add(null);
                continue;
            }

            var written = kind == TableOperationKind.UpsertMerge && rows.TryGetValue(key, out var current) ? Merge(current, entity) : entity;
            var tag = new ETag(Guid.NewGuid().ToString("N"));
            rows[key] = written with { ETag = tag, Timestamp = DateTimeOffset.UtcNow };
            tags.Add(tag);
        }

        return tags;
    }

    private static TableEntity Merge(TableEntity current, TableEntity change) =>
        current.With([.. change.Properties.Select(p => (p.Key, p.Value))]) with { ETag = change.ETag };

    private SortedDictionary<(string Partition, string Row), TableEntity> Table(string table)
    {
        if (!_tables.TryGetValue(table, out var rows))
        {
            rows = new SortedDictionary<(string Partition, string Row), TableEntity>(Comparer<(string Partition, string Row)>.Create(
                (a, b) => string.CompareOrdinal(a.Partition, b.Partition) is var p and not 0 ? p : string.CompareOrdinal(a.Row, b.Row)));
            _tables[table] = rows;
        }

        return rows;
    }
}
