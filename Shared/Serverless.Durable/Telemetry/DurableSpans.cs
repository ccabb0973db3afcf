using System.Diagnostics;

namespace Serverless.Durable.Telemetry;

/// <summary>The engine's spans: one per activity execution, one per orchestration execution.</summary>
internal static class DurableSpans
{
    /// <summary>Starts <c>activity:{name}</c> as a child of the orchestration context its work item carried (current until disposed).</summary>
    public static Activity? StartActivity(TaskActivityContext context, int taskId)
    {
        if (!DurableTelemetry.ActivitySource.HasListeners())
        {
            return null;
        }

        ActivityContext.TryParse(context.TraceParent, context.TraceState, isRemote: true, out var parent);
        var span = DurableTelemetry.ActivitySource.StartActivity(ActivityKind.Server, parent, name: "activity:" + context.Name.Name);
        span?.SetTag(DurableTelemetry.Tags.Type, "activity")
            .SetTag(DurableTelemetry.Tags.TaskName, context.Name.Name)
            .SetTag(DurableTelemetry.Tags.InstanceId, context.InstanceId)
            .SetTag(DurableTelemetry.Tags.TaskId, taskId);
        return span;
    }

    public static void Failed(Activity? span, FailureDetails failure)
    {
        span?.SetStatus(ActivityStatusCode.Error, failure.ErrorMessage).SetTag("error.type", failure.ErrorType);
    }

    /// <summary>
    /// Emits <c>orchestration:{name}</c> once, when an execution ends: from the time its start was first processed to
    /// <paramref name="endedAt"/>, with the id its activities and sub-orchestrations were given as parent.
    /// </summary>
    public static void EmitOrchestration(string instanceId, string name, HistoryEvent started, HistoryEvent completion, DateTime endedAt)
    {
        if (!DurableTelemetry.ActivitySource.HasListeners())
        {
            return;
        }

        var trace = OrchestrationTrace.Of(instanceId, started);
        var previous = Activity.Current;
        Activity.Current = null; // a root orchestration must not adopt whatever the worker is running under
        try
        {
            using var span = DurableTelemetry.ActivitySource.CreateActivity("orchestration:" + name, ActivityKind.Server, trace.Caller);
            if (span is null)
            {
                return;
            }

            span.SetStartTime(Utc(started.Timestamp));
            span.Start();
            SpanIdentity.TryAssign(span, trace.TraceId, trace.SpanId);
            span.SetTag(DurableTelemetry.Tags.Type, "orchestration")
                .SetTag(DurableTelemetry.Tags.TaskName, name)
                .SetTag(DurableTelemetry.Tags.InstanceId, instanceId)
                .SetTag(DurableTelemetry.Tags.ExecutionId, started.ExecutionId)
                .SetTag(DurableTelemetry.Tags.RuntimeStatus, completion.Status?.ToString());
            if (completion.Status == OrchestrationRuntimeStatus.Failed)
            {
                span.SetStatus(ActivityStatusCode.Error, completion.Failure?.ErrorMessage ?? completion.Status.ToString());
                if (completion.Failure is { } failure)
                {
                    span.SetTag("error.type", failure.ErrorType);
                }
            }

            span.SetEndTime(Utc(endedAt));
        }
        finally
        {
            Activity.Current = previous;
        }
    }

    private static DateTime Utc(DateTime time) => time.Kind switch
    {
        DateTimeKind.Utc => time,
        DateTimeKind.Local => time.ToUniversalTime(),
        _ => DateTime.SpecifyKind(time, DateTimeKind.Utc),
    };
}
