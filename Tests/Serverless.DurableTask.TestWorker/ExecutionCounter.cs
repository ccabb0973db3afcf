using Serverless.Storage;

namespace Serverless.DurableTask.TestWorker;

/// <summary>Counts activity executions in a table keyed by the activity's input, so tests can see re-runs across processes.</summary>
public sealed class ExecutionCounter(ITableStore tables, string table)
{
    public async Task IncrementAsync(string key, string column, CancellationToken cancellationToken)
    {
        await tables.CreateTableIfNotExistsAsync(table, cancellationToken);
        while (true)
        {
            var row = await tables.GetAsync(table, "counts", key, cancellationToken);
            try
            {
                if (row is null)
                {
                    await tables.AddAsync(table, new TableEntity("counts", key).With((column, 1L)), cancellationToken);
                }
                else
                {
                    await tables.UpdateAsync(table, row.With((column, (row.GetInt64(column) ?? 0) + 1)), cancellationToken: cancellationToken);
                }

                return;
            }
            catch (StorageConflictException)
            {
            }
        }
    }

    public async Task<long> GetAsync(string key, string column, CancellationToken cancellationToken)
    {
        try
        {
            return (await tables.GetAsync(table, "counts", key, cancellationToken))?.GetInt64(column) ?? 0;
        }
        catch (StorageNotFoundException)
        {
            return 0;
        }
    }
}
