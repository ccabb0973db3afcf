using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;

namespace Serverless.Durable.Telemetry;

/// <summary>
/// The trace context of one orchestration execution. Its span id (and, without a caller, its trace id) derive from
/// the instance and execution ids, so every replay on every host computes the same context from the persisted
/// <see cref="HistoryEventType.ExecutionStarted"/> event: activities and sub-orchestrations scheduled in any episode
/// point at the one orchestration span emitted when the execution ends.
/// </summary>
internal readonly record struct OrchestrationTrace(ActivityContext Caller, ActivityTraceId TraceId, ActivitySpanId SpanId, ActivityTraceFlags Flags, string? TraceState)
{
    public static OrchestrationTrace Of(string instanceId, HistoryEvent started)
    {
        ArgumentNullException.ThrowIfNull(started);
        var hasCaller = ActivityContext.TryParse(started.TraceParent, started.TraceState, isRemote: true, out var caller);
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes($"{instanceId}\n{started.ExecutionId}"));
        return hasCaller
            ? new OrchestrationTrace(caller, caller.TraceId, ActivitySpanId.CreateFromBytes(hash.AsSpan(16, 8)), caller.TraceFlags, caller.TraceState)
            : new OrchestrationTrace(default, ActivityTraceId.CreateFromBytes(hash.AsSpan(0, 16)), ActivitySpanId.CreateFromBytes(hash.AsSpan(16, 8)), ActivityTraceFlags.Recorded, null);
    }

    /// <summary>The W3C <c>traceparent</c> naming the orchestration's span, for what it schedules.</summary>
    public string TraceParent => $"00-{TraceId.ToHexString()}-{SpanId.ToHexString()}-{((Flags & ActivityTraceFlags.Recorded) != 0 ? "01" : "00")}";

    /// <summary>Stamps the orchestration's context on an event it sends (a work item or a sub-orchestration's start).</summary>
    public HistoryEvent Stamp(HistoryEvent e) => e with { TraceParent = TraceParent, TraceState = TraceState };
}
