using Serverless.Storage;

namespace Serverless.Registry;

/// <summary>How an alias change is stored: the audit entry and the outbox entry share the columns.</summary>
internal static class AliasChangeRows
{
    public static TableEntity Write(ModelAliasChange change, string rowKey) =>
        new(change.Model, rowKey, new Dictionary<string, object?>
        {
            ["Alias"] = change.Alias,
            ["FromVersion"] = change.FromVersion,
            ["ToVersion"] = change.ToVersion,
            ["Actor"] = change.Actor,
            ["Reason"] = change.Reason,
            ["At"] = change.At,
            ["IsRollback"] = change.IsRollback,
            ["Detail"] = change.Detail,
            ["EventId"] = change.EventId,
            ["CorrelationId"] = change.CorrelationId,
        });

    public static ModelAliasChange Read(TableEntity row) =>
        new(
            row.PartitionKey,
            row.GetString("Alias")!,
            row.GetInt32("FromVersion"),
            row.GetInt32("ToVersion"),
            row.GetString("Actor") ?? "unknown",
            row.GetString("Reason") ?? string.Empty,
            row.GetDateTimeOffset("At") ?? DateTimeOffset.MinValue)
        {
            IsRollback = row.GetBoolean("IsRollback") ?? false,
            Detail = row.GetString("Detail"),
            EventId = row.GetString("EventId"),
            CorrelationId = row.GetString("CorrelationId"),
        };
}
