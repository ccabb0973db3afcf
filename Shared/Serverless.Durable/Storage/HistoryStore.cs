using System.Globalization;
using System.Text.Json;
using Serverless.Storage;

namespace Serverless.Durable.Storage;

/// <summary>
/// The History table: partition = instance id, one row per event (row key = zero-padded sequence number),
/// plus a sentinel row holding the execution id and the committed event count. Every batch of appends
/// (at most 100 operations) updates the sentinel under its ETag, so a host that lost the instance
/// cannot write, and rows past the committed count (left by a crashed append) are never read.
/// </summary>
internal sealed class HistoryStore(ITableStore tables, LargePayloadStore payloads, TaskHubNames names)
{
    public const string SentinelRowKey = "~sentinel";
    private const int RowsPerBatch = 99;

    public static string RowKey(int sequence) => sequence.ToString("D10", CultureInfo.InvariantCulture);

    public async Task<TableEntity?> GetSentinelAsync(string instanceId, CancellationToken cancellationToken) =>
        await tables.GetAsync(names.HistoryTable, instanceId, SentinelRowKey, cancellationToken).ConfigureAwait(false);

    public async Task<HistorySnapshot> LoadAsync(string instanceId, CancellationToken cancellationToken)
    {
        var sentinel = await GetSentinelAsync(instanceId, cancellationToken).ConfigureAwait(false);
        if (sentinel is null)
        {
            return new HistorySnapshot([], null, null);
        }

        var count = sentinel.GetInt32("Count") ?? 0;
        var events = new List<HistoryEvent>(count);
        var query = new TableQuery { PartitionKey = instanceId, RowKeyFrom = RowKey(0), RowKeyBefore = RowKey(count) };
        await foreach (var row in tables.QueryAsync(names.HistoryTable, query, cancellationToken).ConfigureAwait(false))
        {
            var json = await payloads.FromPropertiesAsync(row, "Event", cancellationToken).ConfigureAwait(false)
                ?? throw new InvalidDataException($"History row '{instanceId}/{row.RowKey}' of table '{names.HistoryTable}' has no event.");
            events.Add(JsonSerializer.Deserialize<HistoryEvent>(json, DurableJson.Options)
                ?? throw new InvalidDataException($"History row '{instanceId}/{row.RowKey}' of table '{names.HistoryTable}' holds no event."));
        }

        return new HistorySnapshot(events, sentinel.ETag, sentinel.GetString("ExecutionId"));
    }

    /// <summary>Writes <paramref name="events"/> from sequence number <paramref name="startIndex"/>.</summary>
    /// <returns>The sentinel's new ETag.</returns>
    /// <exception cref="StorageConflictException">Another host changed the history since <paramref name="sentinelETag"/> was read.</exception>
    public async Task<ETag> AppendAsync(string instanceId, ETag? sentinelETag, int startIndex, IReadOnlyList<HistoryEvent> events, string executionId, OrchestrationRuntimeStatus status, CancellationToken cancellationToken)
    {
        var etag = sentinelETag;
        var written = 0;
        do
        {
            var batch = events.Skip(written).Take(RowsPerBatch).ToList();
            var operations = new List<TableOperation>(batch.Count + 1);
            for (var i = 0; i < batch.Count; i++)
            {
                var json = JsonSerializer.Serialize(batch[i], DurableJson.Options);
                var properties = await payloads.ToPropertiesAsync(instanceId, "Event", json, cancellationToken).ConfigureAwait(false);
                var row = new TableEntity(instanceId, RowKey(startIndex + written + i)).With(properties);
                operations.Add(TableOperation.Upsert(row.With(("EventType", batch[i].Type.ToString()))));
            }

            written += batch.Count;
            var sentinel = new TableEntity(instanceId, SentinelRowKey).With(
                ("Count", startIndex + written),
                ("ExecutionId", executionId),
                ("RuntimeStatus", status.ToString()),
                ("LastUpdatedAt", DateTimeOffset.UtcNow));
            operations.Add(etag is null ? TableOperation.Add(sentinel) : TableOperation.Update(sentinel with { ETag = etag }));
            var results = await tables.SubmitTransactionAsync(names.HistoryTable, operations, cancellationToken).ConfigureAwait(false);
            etag = results[^1] ?? throw new InvalidOperationException($"The History table returned no ETag for instance '{instanceId}'.");
        }
        while (written < events.Count);

        return etag.Value;
    }

    public async Task<int> DeleteAsync(string instanceId, CancellationToken cancellationToken)
    {
        var rows = new List<TableEntity>();
        await foreach (var row in tables.QueryAsync(names.HistoryTable, new TableQuery { PartitionKey = instanceId, Select = ["RowKey"] }, cancellationToken).ConfigureAwait(false))
        {
            rows.Add(row);
        }

        foreach (var chunk in rows.Chunk(100))
        {
            await tables.SubmitTransactionAsync(
                names.HistoryTable,
                chunk.Select(r => TableOperation.Delete(new TableEntity(instanceId, r.RowKey) { ETag = ETag.All })).ToList(),
                cancellationToken).ConfigureAwait(false);
        }

        return rows.Count;
    }
}
