using System.Globalization;

namespace Serverless.Registry;

/// <summary>Row keys that sort the way people read them.</summary>
internal static class RowKeys
{
    public const string ModelRow = "model";
    public const string VersionPrefix = "v-";
    public const string AliasPrefix = "alias-";
    public const string AuditPrefix = "audit-";
    public const string RunPrefix = "run-";
    public const string HashPrefix = "hash-";
    public const string TrafficRow = "traffic";
    public const string OutboxPrefix = "outbox-";

    /// <summary>Versions padded so row-key order is numeric order.</summary>
    public static string Version(int version) => VersionPrefix + version.ToString("D8", CultureInfo.InvariantCulture);

    public static int ParseVersion(string rowKey) => int.Parse(rowKey.AsSpan(VersionPrefix.Length), CultureInfo.InvariantCulture);

    public static string Alias(string alias) => AliasPrefix + alias;

    /// <summary>Newest first: inverted ticks, then a tie-breaker.</summary>
    public static string Audit(DateTimeOffset at) =>
        AuditPrefix + (DateTimeOffset.MaxValue.UtcTicks - at.UtcTicks).ToString("D19", CultureInfo.InvariantCulture) + "-" + Guid.NewGuid().ToString("N")[..8];

    /// <summary>Oldest first: ticks, then the event id.</summary>
    public static string Outbox(DateTimeOffset at, string eventId) =>
        OutboxPrefix + at.UtcTicks.ToString("D19", CultureInfo.InvariantCulture) + "-" + eventId;
}
