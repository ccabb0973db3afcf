using System.Runtime.CompilerServices;
using Microsoft.Extensions.DependencyInjection;
using Serverless.Storage;

namespace Serverless.Functions.Tests;

/// <summary>An <see cref="ITableStore"/> decorator counting the reads (gets and queries) of one table.</summary>
public sealed class CountingTableStore(ITableStore inner, string table) : ITableStore
{
    private int _reads;

    public int Reads => Volatile.Read(ref _reads);

    /// <summary>Replaces the registered <see cref="ITableStore"/> with a counter of <paramref name="table"/>'s reads around it.</summary>
    public static void Decorate(IServiceCollection services, string table)
    {
        var registered = services.Last(d => d.ServiceType == typeof(ITableStore));
        services.Remove(registered);
        services.AddSingleton(sp => new CountingTableStore(
            (ITableStore)(registered.ImplementationInstance
                ?? registered.ImplementationFactory?.Invoke(sp)
                ?? ActivatorUtilities.CreateInstance(sp, registered.ImplementationType!)),
            table));
        services.AddSingleton<ITableStore>(sp => sp.GetRequiredService<CountingTableStore>());
    }

    public Task CreateTableIfNotExistsAsync(string table, CancellationToken cancellationToken = default) => inner.CreateTableIfNotExistsAsync(table, cancellationToken);

    public Task<TableEntity?> GetAsync(string table, string partitionKey, string rowKey, CancellationToken cancellationToken = default)
    {
        Count(table);
        return inner.GetAsync(table, partitionKey, rowKey, cancellationToken);
    }

    public Task<ETag> AddAsync(string table, TableEntity entity, CancellationToken cancellationToken = default) => inner.AddAsync(table, entity, cancellationToken);

    public Task<ETag> UpsertAsync(string table, TableEntity entity, bool merge = false, CancellationToken cancellationToken = default) =>
        inner.UpsertAsync(table, entity, merge, cancellationToken);

    public Task<ETag> UpdateAsync(string table, TableEntity entity, bool merge = false, CancellationToken cancellationToken = default) =>
        inner.UpdateAsync(table, entity, merge, cancellationToken);

    public Task<bool> DeleteAsync(string table, string partitionKey, string rowKey, ETag? ifMatch = null, CancellationToken cancellationToken = default) =>
        inner.DeleteAsync(table, partitionKey, rowKey, ifMatch, cancellationToken);

    public async IAsyncEnumerable<TableEntity> QueryAsync(string table, TableQuery query, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        Count(table);
        await foreach (var row in inner.QueryAsync(table, query, cancellationToken).ConfigureAwait(false))
        {
            yield return row;
        }
    }

    public Task<IReadOnlyList<ETag?>> SubmitTransactionAsync(string table, IReadOnlyList<TableOperation> operations, CancellationToken cancellationToken = default) =>
        inner.SubmitTransactionAsync(table, operations, cancellationToken);

    private void Count(string read)
    {
        if (string.Equals(read, table, StringComparison.Ordinal))
        {
            Interlocked.Increment(ref _reads);
        }
    }
}
