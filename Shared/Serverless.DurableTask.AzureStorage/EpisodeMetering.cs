using System.Diagnostics;
using DurableTask.Core;
using DurableTask.Core.Command;
using DurableTask.Core.History;
using DurableTask.Core.Middleware;

namespace Serverless.DurableTask.AzureStorage;

/// <summary>
/// Orchestration dispatcher middleware that measures each episode: its duration and the status it leaves the
/// instance in, a start when the episode begins a new execution, and a completion when it ends one.
/// </summary>
internal static class EpisodeMetering
{
    public static async Task InvokeAsync(DispatchMiddlewareContext context, Func<Task> next)
    {
        var state = context.GetProperty<OrchestrationRuntimeState>();
        var name = state?.Name ?? "unknown";
        var orchestration = new KeyValuePair<string, object?>(DurableTaskMetrics.Tags.Orchestration, name);
        if (state is not null && state.NewEvents.Any(e => e is ExecutionStartedEvent))
        {
            DurableTaskMetrics.OrchestrationsStarted.Add(1, orchestration);
        }

        var started = Stopwatch.GetTimestamp();
        await next().ConfigureAwait(false);
        var completion = context.GetProperty<OrchestratorExecutionResult>()?.Actions.OfType<OrchestrationCompleteOrchestratorAction>().FirstOrDefault();
        var status = completion?.OrchestrationStatus.ToString() ?? "Running";
        DurableTaskMetrics.EpisodeDuration.Record(
            Stopwatch.GetElapsedTime(started).TotalMilliseconds,
            orchestration,
            new KeyValuePair<string, object?>(DurableTaskMetrics.Tags.Status, status));
        if (completion is not null)
        {
            DurableTaskMetrics.OrchestrationsCompleted.Add(1, orchestration, new KeyValuePair<string, object?>(DurableTaskMetrics.Tags.Status, status));
        }
    }
}
