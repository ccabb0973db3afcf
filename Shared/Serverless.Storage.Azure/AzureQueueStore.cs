using System.Collections.Concurrent;
using Azure;
using Azure.Storage.Queues;

namespace Serverless.Storage.Azure;

/// <summary><see cref="IQueueStore"/> on Azure Queue storage (messages Base64-encoded, as Azure Functions writes them).</summary>
public sealed class AzureQueueStore(AzureStorageClients clients) : IQueueStore
{
    private readonly ConcurrentDictionary<string, QueueClient> _queues = new(StringComparer.Ordinal);

    /// <summary>64 KiB on the wire, Base64-encoded: 48 KiB of UTF-8 text.</summary>
    public int MaxMessageLength => 48 * 1024;

    private QueueClient Queue(string queue) =>
        _queues.GetOrAdd(queue, static (name, service) => service.GetQueueClient(name), clients.Queues);

    public async Task CreateQueueIfNotExistsAsync(string queue, CancellationToken cancellationToken = default) =>
        await Queue(queue).CreateIfNotExistsAsync(cancellationToken: cancellationToken).ConfigureAwait(false);

    public async Task DeleteQueueIfExistsAsync(string queue, CancellationToken cancellationToken = default) =>
        await Queue(queue).DeleteIfExistsAsync(cancellationToken).ConfigureAwait(false);

    public async Task SendAsync(string queue, string body, TimeSpan? visibilityDelay = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(body);
        if (System.Text.Encoding.UTF8.GetByteCount(body) > MaxMessageLength)
        {
            throw new ArgumentException($"A message for queue '{queue}' is larger than {MaxMessageLength} bytes; store large payloads in a blob.", nameof(body));
        }

        try
        {
            await Queue(queue).SendMessageAsync(body, visibilityDelay, TimeSpan.FromSeconds(-1), cancellationToken).ConfigureAwait(false);
        }
        catch (RequestFailedException e) when (AzureErrors.IsNotFound(e))
        {
            await CreateQueueIfNotExistsAsync(queue, cancellationToken).ConfigureAwait(false);
            await Queue(queue).SendMessageAsync(body, visibilityDelay, TimeSpan.FromSeconds(-1), cancellationToken).ConfigureAwait(false);
        }
    }

    public async Task<IReadOnlyList<QueueMessage>> ReceiveAsync(string queue, int maxMessages, TimeSpan visibilityTimeout, CancellationToken cancellationToken = default)
    {
        try
        {
            var response = await Queue(queue).ReceiveMessagesAsync(Math.Clamp(maxMessages, 1, 32), visibilityTimeout, cancellationToken).ConfigureAwait(false);
            return response.Value
                .Select(m => new QueueMessage(m.MessageId, m.PopReceipt, m.Body.ToString(), m.DequeueCount, m.InsertedOn, m.NextVisibleOn))
                .ToList();
        }
        catch (RequestFailedException e) when (AzureErrors.IsNotFound(e))
        {
            return [];
        }
    }

    public async Task<string> UpdateVisibilityAsync(string queue, string messageId, string popReceipt, TimeSpan visibilityTimeout, CancellationToken cancellationToken = default)
    {
        try
        {
            var response = await Queue(queue).UpdateMessageAsync(messageId, popReceipt, message: (BinaryData?)null, visibilityTimeout, cancellationToken).ConfigureAwait(false);
            return response.Value.PopReceipt;
        }
        catch (RequestFailedException e) when (e.Status is 404 or 400)
        {
            throw new StorageNotFoundException($"Message '{messageId}' of queue '{queue}' is gone or its receipt is stale.", e);
        }
    }

    public async Task<bool> DeleteAsync(string queue, string messageId, string popReceipt, CancellationToken cancellationToken = default)
    {
        try
        {
            await Queue(queue).DeleteMessageAsync(messageId, popReceipt, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (RequestFailedException e) when (e.Status is 404 or 400)
        {
            return false;
        }
    }

    public async Task<int> GetApproximateCountAsync(string queue, CancellationToken cancellationToken = default)
    {
        try
        {
            var properties = await Queue(queue).GetPropertiesAsync(cancellationToken).ConfigureAwait(false);
            return properties.Value.ApproximateMessagesCount;
        }
        catch (RequestFailedException e) when (AzureErrors.IsNotFound(e))
        {
            return 0;
        }
    }
}
