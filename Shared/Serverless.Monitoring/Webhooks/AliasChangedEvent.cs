using System.Text.Json;
using Serverless.Registry;

namespace Serverless.Monitoring.Webhooks;

/// <summary>The <c>alias.changed</c> webhook of a registry alias change: the change's event id, its time, subject <c>models/{model}/aliases/{alias}</c>.</summary>
public static class AliasChangedEvent
{
    /// <summary>The webhook event of <paramref name="change"/> (which must carry its event id).</summary>
    public static WebhookEvent From(ModelAliasChange change)
    {
        ArgumentNullException.ThrowIfNull(change);
        var data = new
        {
            model = change.Model,
            alias = change.Alias,
            fromVersion = change.FromVersion,
            toVersion = change.ToVersion,
            actor = change.Actor,
            reason = change.Reason,
            isRollback = change.IsRollback,
            correlationId = change.CorrelationId,
            at = change.At,
        };
        return new WebhookEvent(
            change.EventId ?? throw new ArgumentException($"The change of alias '{change.Alias}' of model '{change.Model}' has no event id.", nameof(change)),
            WebhookEventTypes.AliasChanged,
            change.At,
            $"models/{change.Model}/aliases/{change.Alias}",
            JsonSerializer.SerializeToElement(data, JsonSerializerOptions.Web));
    }
}
