using System.Diagnostics;
using Serverless.Durable.Telemetry;
using Xunit;

namespace Serverless.Durable.Tests;

public sealed class OrchestrationTraceTests
{
    private const string Caller = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";

    private static HistoryEvent Started(string executionId, string? traceParent = null, string? traceState = null) =>
        new() { Type = HistoryEventType.ExecutionStarted, Name = "Run", ExecutionId = executionId, TraceParent = traceParent, TraceState = traceState };

    [Fact]
    public void Every_replay_computes_the_same_span_in_the_callers_trace()
    {
        var first = OrchestrationTrace.Of("run-1", Started("e1", Caller, "mlops=1"));
        var again = OrchestrationTrace.Of("run-1", Started("e1", Caller, "mlops=1"));

        Assert.Equal(first, again);
        Assert.Equal("0af7651916cd43dd8448eb211c80319c", first.TraceId.ToHexString());
        Assert.Equal("b7ad6b7169203331", first.Caller.SpanId.ToHexString());
        Assert.NotEqual(first.Caller.SpanId, first.SpanId);
        Assert.Equal($"00-0af7651916cd43dd8448eb211c80319c-{first.SpanId.ToHexString()}-01", first.TraceParent);
        var stamped = first.Stamp(new HistoryEvent { Type = HistoryEventType.TaskScheduled, EventId = 4, Name = "Train" });
        Assert.Equal(first.TraceParent, stamped.TraceParent);
        Assert.Equal("mlops=1", stamped.TraceState);
    }

    [Fact]
    public void Another_execution_or_instance_gets_another_span_and_without_a_caller_its_own_trace()
    {
        var one = OrchestrationTrace.Of("run-1", Started("e1", Caller));
        Assert.NotEqual(one.SpanId, OrchestrationTrace.Of("run-1", Started("e2", Caller)).SpanId);
        Assert.NotEqual(one.SpanId, OrchestrationTrace.Of("run-2", Started("e1", Caller)).SpanId);

        var root = OrchestrationTrace.Of("run-1", Started("e1"));
        var malformed = OrchestrationTrace.Of("run-1", Started("e1", "not-a-traceparent"));
        Assert.Equal(default, root.Caller);
        Assert.NotEqual(one.TraceId, root.TraceId);
        Assert.Equal(root, malformed); // an unreadable traceparent is ignored, not fatal
        Assert.Equal(ActivityTraceFlags.Recorded, root.Flags);
    }

    [Fact]
    public void Span_ids_decided_before_the_span_can_be_given_to_it_on_this_runtime()
    {
        Assert.True(SpanIdentity.IsSupported);
        using var activity = new Activity("orchestration:Run").SetIdFormat(ActivityIdFormat.W3C).Start();
        var trace = OrchestrationTrace.Of("run-1", Started("e1"));

        Assert.True(SpanIdentity.TryAssign(activity, trace.TraceId, trace.SpanId));
        Assert.Equal(trace.TraceId, activity.TraceId);
        Assert.Equal(trace.SpanId, activity.SpanId);
        Assert.StartsWith($"00-{trace.TraceId.ToHexString()}-{trace.SpanId.ToHexString()}-", activity.Id, StringComparison.Ordinal);
    }
}
