using System.Collections.Concurrent;
using Serverless.Serving.Feedback;
using Serverless.Storage;

namespace Serverless.Serving.PredictionLogging;

public sealed partial class PredictionLogStore
{
    /// <summary>
    /// Joins ground truth to logged predictions of <paramref name="model"/> by id (one point read each) and stores
    /// prediction + actual + version in the feedback table under the prediction's keys. Ids with no logged prediction
    /// of the model (unknown, unsampled, still buffered) are reported back, sorted.
    /// </summary>
    public async Task<FeedbackResult> RecordFeedbackAsync(string model, IReadOnlyList<FeedbackItem> items, DateTimeOffset receivedAt, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(items);
        await EnsureTablesAsync(cancellationToken).ConfigureAwait(false);
        var joined = new ConcurrentBag<TableEntity>();
        var unknown = new ConcurrentBag<string>();
        await Parallel.ForEachAsync(items, new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = cancellationToken }, async (item, token) =>
        {
            var partition = PartitionOf(model, item.Id);
            var logged = partition is null ? null : await tables.GetAsync(_log, partition, item.Id, token).ConfigureAwait(false);
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
            await UpsertAsync(_feedback, partition, cancellationToken).ConfigureAwait(false);
        }

        var unknownIds = unknown.ToList();
        unknownIds.Sort(StringComparer.Ordinal);
        return new FeedbackResult(joined.Count, unknownIds);
    }
}
