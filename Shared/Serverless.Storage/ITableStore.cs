namespace Serverless.Storage;

/// <summary>Tables of schemaless rows addressed by partition and row key, with ETag concurrency.</summary>
public interface ITableStore
{
    Task CreateTableIfNotExistsAsync(string table, CancellationToken cancellationToken = default);

    /// <returns>The row, or <c>null</c> when it does not exist.</returns>
    Task<TableEntity?> GetAsync(string table, string partitionKey, string rowKey, CancellationToken cancellationToken = default);

    /// <summary>Inserts a new row.</summary>
    /// <exception cref="StorageConflictException">The row exists.</exception>
    Task<ETag> AddAsync(string table, TableEntity entity, CancellationToken cancellationToken = default);

    /// <summary>Inserts or replaces (or, with <paramref name="merge"/>, merges) a row.</summary>
    Task<ETag> UpsertAsync(string table, TableEntity entity, bool merge = false, CancellationToken cancellationToken = default);

    /// <summary>Replaces (or merges into) an existing row if its ETag is still <see cref="TableEntity.ETag"/>.</summary>
    /// <exception cref="StorageConflictException">The row changed since it was read.</exception>
    /// <exception cref="StorageNotFoundException">The row does not exist.</exception>
    Task<ETag> UpdateAsync(string table, TableEntity entity, bool merge = false, CancellationToken cancellationToken = default);

    /// <returns><c>true</c> when a row was deleted.</returns>
    /// <exception cref="StorageConflictException">The row changed since <paramref name="ifMatch"/>.</exception>
    Task<bool> DeleteAsync(string table, string partitionKey, string rowKey, ETag? ifMatch = null, CancellationToken cancellationToken = default);

    IAsyncEnumerable<TableEntity> QueryAsync(string table, TableQuery query, CancellationToken cancellationToken = default);

    /// <summary>
    /// Runs up to 100 operations on one partition atomically: all succeed or none does.
    /// </summary>
    /// <returns>The new ETag of each operation's row (<c>null</c> for deletes), in order.</returns>
    /// <exception cref="StorageConflictException">An operation's condition failed; nothing was written.</exception>
    Task<IReadOnlyList<ETag?>> SubmitTransactionAsync(string table, IReadOnlyList<TableOperation> operations, CancellationToken cancellationToken = default);
}
