using System.Runtime.ExceptionServices;

namespace Serverless.Data;

/// <summary>
/// Runs independent per-column work (typing, validation facts, profiles) on up to
/// <see cref="DatasetIngestionOptions.MaxDegreeOfParallelism"/> threads. Results keep the columns' order, and a failure is
/// the one the sequential loop would have thrown first (the lowest column's), unwrapped, so messages still name that column.
/// </summary>
internal static class ColumnParallel
{
    public static TResult[] Map<TSource, TResult>(IReadOnlyList<TSource> items, int maxDegreeOfParallelism, Func<TSource, TResult> map)
    {
        var results = new TResult[items.Count];
        if (maxDegreeOfParallelism <= 1 || items.Count <= 1)
        {
            for (var i = 0; i < items.Count; i++)
            {
                results[i] = map(items[i]);
            }

            return results;
        }

        var failures = new ExceptionDispatchInfo?[items.Count];
        Parallel.For(0, items.Count, new ParallelOptions { MaxDegreeOfParallelism = maxDegreeOfParallelism }, i =>
        {
            try
            {
                results[i] = map(items[i]);
            }
#pragma warning disable CA1031 // rethrown below, the first in column order
            catch (Exception e)
#pragma warning restore CA1031
            {
                failures[i] = ExceptionDispatchInfo.Capture(e);
            }
        });
        failures.FirstOrDefault(f => f is not null)?.Throw();
        return results;
    }
}
