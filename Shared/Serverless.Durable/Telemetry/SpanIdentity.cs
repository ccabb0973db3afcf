using System.Diagnostics;
using System.Reflection;

namespace Serverless.Durable.Telemetry;

/// <summary>
/// Gives a started <see cref="Activity"/> ids decided earlier. <see cref="Activity"/> has no public setter for them,
/// so this writes its private fields, as DTFx and durabletask-dotnet do for the same reason (an orchestration span
/// is emitted when the execution ends, but its children needed its id long before). Where the fields are missing
/// (another runtime), the span keeps its own ids: traces still share the trace id, children just point at an
/// unknown parent.
/// </summary>
internal static class SpanIdentity
{
    private static readonly FieldInfo? TraceIdField = typeof(Activity).GetField("_traceId", BindingFlags.Instance | BindingFlags.NonPublic);
    private static readonly FieldInfo? SpanIdField = typeof(Activity).GetField("_spanId", BindingFlags.Instance | BindingFlags.NonPublic);
    private static readonly FieldInfo? IdField = typeof(Activity).GetField("_id", BindingFlags.Instance | BindingFlags.NonPublic);

    public static bool IsSupported => TraceIdField?.FieldType == typeof(string) && SpanIdField?.FieldType == typeof(string) && IdField?.FieldType == typeof(string);

    /// <returns><c>true</c> when the activity now carries the given ids.</returns>
    public static bool TryAssign(Activity activity, ActivityTraceId traceId, ActivitySpanId spanId)
    {
        ArgumentNullException.ThrowIfNull(activity);
        if (!IsSupported || activity.IdFormat != ActivityIdFormat.W3C)
        {
            return false;
        }

        TraceIdField!.SetValue(activity, traceId.ToHexString());
        SpanIdField!.SetValue(activity, spanId.ToHexString());
        IdField!.SetValue(activity, null); // recomputed from the two on next read
        return activity.TraceId == traceId && activity.SpanId == spanId;
    }
}
