using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using Serverless.Storage;

namespace Serverless.Durable.Benchmarks;

/// <summary>Counts storage round trips by operation, to say where the time goes.</summary>
public sealed class StorageCallCounter
{
    private readonly ConcurrentDictionary<string, long> _calls = new(StringComparer.Ordinal);

    public void Count([CallerMemberName] string operation = "") => _calls.AddOrUpdate(operation, 1, (_, n) => n + 1);

    public IReadOnlyDictionary<string, long> Snapshot() => new Dictionary<string, long>(_calls);

    public void Reset() => _calls.Clear();
}

/// <summary>An <see cref="IQueueStore"/> that counts its calls.</summary>
public sealed class CountingQueueStore(IQueueStore inner, StorageCallCounter counter) : IQueueStore
{
    public int MaxMessageLength => inner.MaxMessageLength;

    public Task CreateQueueIfNotExistsAsync(string queue, CancellationToken cancellationToken = default) => inner.CreateQueueIfNotExistsAsync(queue, cancellationToken);

    public Task DeleteQueueIfExistsAsync(string queue, CancellationToken cancellationToken = default) => inner.DeleteQueueIfExistsAsync(queue, cancellationToken);

    public Task SendAsync(string queue, string body, TimeSpan? visibilityDelay = null, CancellationToken cancellationToken = default)
    {
        counter.Count("Queue.Send");
        return inner.SendAsync(queue, body, visibilityDelay, cancellationToken);
    }

    public Task<IReadOnlyList<QueueMessage>> ReceiveAsync(string queue, int maxMessages, TimeSpan visibilityTimeout, CancellationToken cancellationToken = default)
    {
        counter.Count("Queue.Receive");
        return inner.ReceiveAsync(queue, maxMessages, visibilityTimeout, cancellationToken);
    }

    public Task<string> UpdateVisibilityAsync(string queue, string messageId, string popReceipt, TimeSpan visibilityTimeout, CancellationToken cancellationToken = default)
    {
        counter.Count("Queue.UpdateVisibility");
        return inner.UpdateVisibilityAsync(queue, messageId, popReceipt, visibilityTimeout, cancellationToken);
    }

    public Task<bool> DeleteAsync(string queue, string messageId, string popReceipt, CancellationToken cancellationToken = default)
    {
        counter.Count("Queue.Delete");
        return inner.DeleteAsync(queue, messageId, popReceipt, cancellationToken);
    }

    public Task<int> GetApproximateCountAsync(string queue, CancellationToken cancellationToken = default) => inner.GetApproximateCountAsync(queue, cancellationToken);
}

/// <summary>An <see cref="ITableStore"/> that counts its calls.</summary>
public sealed class CountingTableStore(ITableStore inner, StorageCallCounter counter) : ITableStore
{
    public Task CreateTableIfNotExistsAsync(string table, CancellationToken cancellationToken = default) => inner.CreateTableIfNotExistsAsync(table, cancellationToken);

    public Task<TableEntity?> GetAsync(string table, string partitionKey, string rowKey, CancellationToken cancellationToken = default)
    {
        counter.Count("Table.Get");
        return inner.GetAsync(table, partitionKey, rowKey, cancellationToken);
    }

    public Task<ETag> AddAsync(string table, TableEntity entity, CancellationToken cancellationToken = default)
    {
        counter.Count("Table.Add");
        return inner.AddAsync(table, entity, cancellationToken);
    }

    public Task<ETag> UpsertAsync(string table, TableEntity entity, bool merge = false, CancellationToken cancellationToken = default)
    {
        counter.Count("Table.Upsert");
        return inner.UpsertAsync(table, entity, merge, cancellationToken);
    }

    public Task<ETag> UpdateAsync(string table, TableEntity entity, bool merge = false, CancellationToken cancellationToken = default)
    {
        counter.Count("Table.Update");
        return inner.UpdateAsync(table, entity, merge, cancellationToken);
    }

    public Task<bool> DeleteAsync(string table, string partitionKey, string rowKey, ETag? ifMatch = null, CancellationToken cancellationToken = default)
    {
        counter.Count("Table.Delete");
        return inner.DeleteAsync(table, partitionKey, rowKey, ifMatch, cancellationToken);
    }

    public IAsyncEnumerable<TableEntity> QueryAsync(string table, TableQuery query, CancellationToken cancellationToken = default)
    {
        counter.Count("Table.Query");
        return inner.QueryAsync(table, query, cancellationToken);
    }

    public Task<IReadOnlyList<ETag?>> SubmitTransactionAsync(string table, IReadOnlyList<TableOperation> operations, CancellationToken cancellationToken = default)
    {
        counter.Count("Table.Transaction");
        return inner.SubmitTransactionAsync(table, operations, cancellationToken);
    }
}
