using System.Collections.Concurrent;
using Microsoft.Extensions.Options;
using Serverless.Serving.PredictionLogging;
using Serverless.Storage;

namespace Serverless.Serving.Feedback;

/// <summary>
/// Joins ground truth to logged predictions by id (one point read each: the id names its partition) and stores
/// prediction + actual + version in the feedback table, keyed like the log, for monitoring.
/// Predictions not (yet) in the log — unknown, of another model, unsampled, or still buffered — are reported back.
/// </summary>
public sealed class FeedbackService(ITableStore tables, IOptions<PredictionLogOptions> options, TimeProvider time)
{
    public const int MaxItems = 1000;

    private readonly PredictionLogOptions _options = options.Value;
    private int _tablesReady;

    public async Task<FeedbackResult> RecordAsync(string model, IReadOnlyList<FeedbackItem> items, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(items);
        await EnsureTablesAsync(cancellationToken).ConfigureAwait(false);
        var latest = items.GroupBy(item => item.Id, StringComparer.Ordinal).Select(group => group.Last()).ToList();
        var joined = new ConcurrentBag<TableEntity>();
        var unknown = new ConcurrentBag<string>();
        var receivedAt = time.GetUtcNow();
        await Parallel.ForEachAsync(latest, new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = cancellationToken }, async (item, token) =>
        {
            var partition = PredictionLogKeys.PartitionOf(model, item.Id);
            var logged = partition is null ? null : await tables.GetAsync(_options.TableName, partition, item.Id, token).ConfigureAwait(false);
            if (logged is null)
            {
                unknown.Add(item.Id);
                return;
            }

            joined.Add(new TableEntity(logged.PartitionKey, logged.RowKey, new Dictionary<string, object?>
            {
                ["Model"] = model,
                ["Version"] = logged.GetInt32("Version"),
                ["Predicted"] = logged.GetString("Output"),
                ["Probabilities"] = logged.GetString("Probabilities"),
                ["Inputs"] = logged.GetString("Inputs"),
                ["PredictedAt"] = logged.GetDateTimeOffset("Time"),
                ["Actual"] = item.Actual,
                ["ReceivedAt"] = receivedAt,
            }));
        }).ConfigureAwait(false);

        foreach (var partition in joined.GroupBy(entity => entity.PartitionKey))
        {
            foreach (var chunk in partition.Chunk(100))
            {
                await tables.SubmitTransactionAsync(_options.FeedbackTableName, chunk.Select(TableOperation.Upsert).ToList(), cancellationToken).ConfigureAwait(false);
            }
        }

        var unknownIds = unknown.ToList();
        unknownIds.Sort(StringComparer.Ordinal);
        return new FeedbackResult(joined.Count, unknownIds);
    }

    private async Task EnsureTablesAsync(CancellationToken cancellationToken)
    {
        if (Volatile.Read(ref _tablesReady) == 1)
        {
            return;
        }

        await tables.CreateTableIfNotExistsAsync(_options.TableName, cancellationToken).ConfigureAwait(false);
        await tables.CreateTableIfNotExistsAsync(_options.FeedbackTableName, cancellationToken).ConfigureAwait(false);
        Volatile.Write(ref _tablesReady, 1);
    }
}
