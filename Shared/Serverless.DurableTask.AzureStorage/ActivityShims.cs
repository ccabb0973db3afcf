using DurableTask.Core;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Worker;
using Microsoft.DurableTask.Worker.Shims;
using Microsoft.Extensions.DependencyInjection;

namespace Serverless.DurableTask.AzureStorage;

/// <summary>
/// DTFx asks this for an activity by name per work item. Each execution gets its own DI scope (as the SDK's own
/// workers give it), the activity is made by the SDK's factory in that scope and run through the SDK's shim; its
/// duration and outcome are measured.
/// </summary>
internal sealed class ActivityShims(IDurableTaskFactory factory, DurableTaskShimFactory shims, IServiceScopeFactory scopes)
    : INameVersionObjectManager<TaskActivity>
{
    public void Add(ObjectCreator<TaskActivity> creator) =>
        throw new NotSupportedException("Activities are registered with the Durable Task SDK's DurableTaskRegistry (AddTasks).");

    /// <remarks>An unknown name fails when the work item runs, with the name in the failure details.</remarks>
    public TaskActivity GetObject(string name, string? version) => new ScopedActivity(new TaskName(name), factory, shims, scopes);

    private sealed class ScopedActivity(TaskName name, IDurableTaskFactory factory, DurableTaskShimFactory shims, IServiceScopeFactory scopes) : TaskActivity
    {
        public override string Run(TaskContext context, string input) =>
            throw new NotSupportedException("Activities run asynchronously.");

        public override async Task<string> RunAsync(TaskContext context, string input)
        {
            var started = System.Diagnostics.Stopwatch.GetTimestamp();
            var outcome = "failed";
            try
            {
                await using var scope = scopes.CreateAsyncScope();
                if (!factory.TryCreateActivity(name, scope.ServiceProvider, out var activity))
                {
                    throw new InvalidOperationException($"No activity named '{name}' is registered.");
                }

                var output = await shims.CreateActivity(name, activity).RunAsync(context, input).ConfigureAwait(false);
                outcome = "completed";
                return output;
            }
            finally
            {
                DurableTaskMetrics.ActivityDuration.Record(
                    System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalMilliseconds,
                    new KeyValuePair<string, object?>(DurableTaskMetrics.Tags.Activity, name.Name),
                    new KeyValuePair<string, object?>(DurableTaskMetrics.Tags.Outcome, outcome));
            }
        }
    }
}
