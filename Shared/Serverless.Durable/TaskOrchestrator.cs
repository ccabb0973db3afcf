namespace Serverless.Durable;

/// <summary>Untyped view the engine runs.</summary>
public interface ITaskOrchestrator
{
    Type InputType { get; }

    Task<object?> RunAsync(TaskOrchestrationContext context, object? input);
}

/// <summary>
/// A durable orchestration. <see cref="RunAsync"/> is replayed from history, so it must be deterministic:
/// use the context for time, GUIDs, waiting and I/O, and do not use <c>ConfigureAwait(false)</c>.
/// </summary>
public abstract class TaskOrchestrator<TInput, TOutput> : ITaskOrchestrator
{
    Type ITaskOrchestrator.InputType => typeof(TInput);

    async Task<object?> ITaskOrchestrator.RunAsync(TaskOrchestrationContext context, object? input) =>
        await RunAsync(context, (TInput)input!);

    public abstract Task<TOutput> RunAsync(TaskOrchestrationContext context, TInput input);
}

/// <summary>Untyped view the engine runs.</summary>
public interface ITaskActivity
{
    Type InputType { get; }

    Task<object?> RunAsync(TaskActivityContext context, object? input);
}

/// <summary>
/// A unit of work an orchestration schedules. Activities run <b>at least once</b>: when a host dies while
/// running one, it runs again elsewhere, so make them idempotent.
/// </summary>
public abstract class TaskActivity<TInput, TOutput> : ITaskActivity
{
    Type ITaskActivity.InputType => typeof(TInput);

    async Task<object?> ITaskActivity.RunAsync(TaskActivityContext context, object? input) =>
        await RunAsync(context, (TInput)input!).ConfigureAwait(false);

    public abstract Task<TOutput> RunAsync(TaskActivityContext context, TInput input);
}

/// <summary>What an activity knows about its invocation.</summary>
public sealed record TaskActivityContext(TaskName Name, string InstanceId, CancellationToken CancellationToken)
{
    /// <summary>
    /// W3C <c>traceparent</c> of the orchestration that scheduled the activity (set whether or not spans are recorded);
    /// <c>null</c> for work items written before tracing.
    /// </summary>
    public string? TraceParent { get; init; }

    /// <summary>W3C <c>tracestate</c> travelling with <see cref="TraceParent"/>.</summary>
    public string? TraceState { get; init; }

    /// <summary>The trace id of the orchestration run (32 hex digits), or <c>null</c> when <see cref="TraceParent"/> is unset or malformed.</summary>
    public string? TraceId =>
        System.Diagnostics.ActivityContext.TryParse(TraceParent, TraceState, out var parsed) ? parsed.TraceId.ToHexString() : null;
}
