using Serverless.Serving.Feedback;
using Serverless.Serving.Predictions;
using Serverless.Storage;

namespace Serverless.Serving.PredictionLogging;

public sealed partial class PredictionLogStore
{
    /// <summary>
    /// Joins ground truth to logged predictions of <paramref name="model"/> by id (the id names its hour: that hour's
    /// segments are read once per call) and stores prediction + actual + version in the feedback table under the
    /// prediction's hour and id. Ids with no logged prediction of the model (unknown, unsampled, still buffered) are
    /// reported back, sorted.
    /// </summary>
    public async Task<FeedbackResult> RecordFeedbackAsync(string model, IReadOnlyList<FeedbackItem> items, DateTimeOffset receivedAt, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(items);
        await EnsureTableAsync(cancellationToken).ConfigureAwait(false);
        var joined = new List<TableEntity>();
        var unknown = new List<string>();
        foreach (var hour in items.GroupBy(item => PredictionId.TimeOf(item.Id) is { } time ? PredictionLogSegments.Hour(time) : (DateTimeOffset?)null))
        {
            var logged = hour.Key is { } at
                ? await FindAsync(model, at, hour.Select(item => item.Id).ToHashSet(StringComparer.Ordinal), cancellationToken).ConfigureAwait(false)
                : [];
            foreach (var item in hour)
            {
                if (!logged.TryGetValue(item.Id, out var entry))
                {
                    unknown.Add(item.Id);
                    continue;
                }

                joined.Add(new TableEntity(Partition(model, entry.Time), item.Id, new Dictionary<string, object?>
                {
                    ["Model"] = model,
                    ["Version"] = entry.Version,
                    ["Predicted"] = Clip(entry.Output),
                    ["Probabilities"] = entry.Probabilities is null ? null : Clip(entry.Probabilities),
                    ["Inputs"] = Clip(entry.Inputs),
                    ["PredictedAt"] = entry.Time,
                    ["Actual"] = item.Actual,
                    ["ReceivedAt"] = receivedAt,
                }));
            }
        }

        foreach (var partition in joined.GroupBy(entity => entity.PartitionKey))
        {
            foreach (var chunk in partition.Chunk(MaxTransactionRows))
            {
                await tables.SubmitTransactionAsync(_feedback, chunk.Select(TableOperation.Upsert).ToList(), cancellationToken).ConfigureAwait(false);
            }
        }

        unknown.Sort(StringComparer.Ordinal);
        return new FeedbackResult(joined.Count, unknown);
    }

    /// <summary>
    /// The logged predictions among <paramref name="ids"/> in the segments of <paramref name="model"/>'s hour, read
    /// segment by segment until every id is found.
    /// </summary>
    private async Task<Dictionary<string, PredictionLogEntry>> FindAsync(string model, DateTimeOffset hour, HashSet<string> ids, CancellationToken cancellationToken)
    {
        var found = new Dictionary<string, PredictionLogEntry>(StringComparer.Ordinal);
        await foreach (var segment in blobs.ListAsync(_container, PredictionLogSegments.HourPrefix(model, hour), cancellationToken).ConfigureAwait(false))
        {
            foreach (var entry in await ReadSegmentAsync(segment.Name, cancellationToken).ConfigureAwait(false))
            {
                if (ids.Contains(entry.Id) && entry.Model == model)
                {
                    found[entry.Id] = entry;
                }
            }

            if (found.Count == ids.Count)
            {
                break;
            }
        }

        return found;
    }
}
