using System.Globalization;

namespace Serverless.Storage;

/// <summary>Small conveniences over <see cref="ITableStore"/>.</summary>
public static class TableStoreExtensions
{
    /// <summary>
    /// Deletes the rows of <paramref name="table"/> whose date-time column <paramref name="timeColumn"/> is before
    /// <paramref name="before"/> (one transaction per partition and 100 rows); creates the table when it is missing.
    /// </summary>
    /// <returns>How many rows were deleted.</returns>
    public static async Task<int> DeleteRowsBeforeAsync(this ITableStore store, string table, string timeColumn, DateTimeOffset before, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentException.ThrowIfNullOrEmpty(timeColumn);
        await store.CreateTableIfNotExistsAsync(table, cancellationToken).ConfigureAwait(false);
        var query = new TableQuery
        {
            Filter = $"{timeColumn} lt datetime'{before.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.fffffffZ", CultureInfo.InvariantCulture)}'",
        };
        var old = new List<TableEntity>();
        await foreach (var row in store.QueryAsync(table, query, cancellationToken).ConfigureAwait(false))
        {
            old.Add(row);
        }

        foreach (var partition in old.GroupBy(r => r.PartitionKey))
        {
            foreach (var chunk in partition.Chunk(100))
            {
                await store.SubmitTransactionAsync(table, chunk.Select(r => TableOperation.Delete(r)).ToList(), cancellationToken).ConfigureAwait(false);
            }
        }

        return old.Count;
    }
}
