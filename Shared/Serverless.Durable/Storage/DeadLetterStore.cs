using Serverless.Storage;

namespace Serverless.Durable.Storage;

/// <summary>The DeadLetters table: poison messages moved out of their queue (partition = queue name, row = message id).</summary>
internal sealed class DeadLetterStore(ITableStore tables, LargePayloadStore payloads, TaskHubNames names)
{
    public async Task AddAsync(string queue, QueueMessage message, string? instanceId, string reason, CancellationToken cancellationToken)
    {
        var row = new TableEntity(queue, message.MessageId).With(
            ("InstanceId", instanceId),
            ("DequeueCount", message.DequeueCount),
            ("Reason", reason.Length > LargePayloadStore.MaxTablePropertyLength ? reason[..LargePayloadStore.MaxTablePropertyLength] : reason),
            ("DeadLetteredAt", DateTimeOffset.UtcNow));
        row = row.With(await payloads.ToPropertiesAsync(instanceId ?? "unknown", "Body", message.Body, cancellationToken).ConfigureAwait(false));
        await tables.UpsertAsync(names.DeadLetterTable, row, cancellationToken: cancellationToken).ConfigureAwait(false);
    }

    public IAsyncEnumerable<TableEntity> ListAsync(CancellationToken cancellationToken) =>
        tables.QueryAsync(names.DeadLetterTable, TableQuery.All, cancellationToken);
}
