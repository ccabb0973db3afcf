namespace Serverless.Storage;

/// <summary>At-least-once message queues with visibility timeouts (the Queue storage model).</summary>
public interface IQueueStore
{
    /// <summary>Largest message body, in characters, that <see cref="SendAsync"/> accepts.</summary>
    int MaxMessageLength { get; }

    Task CreateQueueIfNotExistsAsync(string queue, CancellationToken cancellationToken = default);

    Task DeleteQueueIfExistsAsync(string queue, CancellationToken cancellationToken = default);

    /// <summary>Enqueues a message, invisible for <paramref name="visibilityDelay"/>.</summary>
    Task SendAsync(string queue, string body, TimeSpan? visibilityDelay = null, CancellationToken cancellationToken = default);

    /// <summary>Receives up to <paramref name="maxMessages"/> (at most 32), hiding them for <paramref name="visibilityTimeout"/>.</summary>
    Task<IReadOnlyList<QueueMessage>> ReceiveAsync(string queue, int maxMessages, TimeSpan visibilityTimeout, CancellationToken cancellationToken = default);

    /// <summary>Keeps a received message hidden for longer (or makes it visible again with <see cref="TimeSpan.Zero"/>).</summary>
    /// <returns>The new pop receipt.</returns>
    /// <exception cref="StorageNotFoundException">The message is gone or the receipt is stale.</exception>
    Task<string> UpdateVisibilityAsync(string queue, string messageId, string popReceipt, TimeSpan visibilityTimeout, CancellationToken cancellationToken = default);

    /// <returns><c>true</c> when the message was deleted; <c>false</c> when it was already gone or the receipt is stale.</returns>
    Task<bool> DeleteAsync(string queue, string messageId, string popReceipt, CancellationToken cancellationToken = default);

    Task<int> GetApproximateCountAsync(string queue, CancellationToken cancellationToken = default);
}
