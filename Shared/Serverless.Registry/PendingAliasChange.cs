namespace Serverless.Registry;

/// <summary>An alias change waiting in the outbox to be announced (see <see cref="ModelAliasOutbox"/>).</summary>
/// <param name="Change">The change, with its <see cref="ModelAliasChange.EventId"/> and correlation id.</param>
/// <param name="OutboxKey">The outbox row's key within the model's partition (passed back to <see cref="ModelAliasOutbox.CompleteAsync"/>).</param>
public sealed record PendingAliasChange(ModelAliasChange Change, string OutboxKey)
{
    /// <summary>The event id (the webhook idempotency key).</summary>
    public string EventId => Change.EventId!;
}
