using Microsoft.DurableTask;
using Microsoft.Extensions.DependencyInjection;

namespace Serverless.Functions.Orchestrations;

/// <summary>
/// Runs a Durable Task SDK activity class from its <c>[ActivityTrigger]</c> function, as the Durable source
/// generator's wrappers do (that package is not served here): the class from the invocation's services, a
/// <see cref="TaskActivityContext"/> with the function's name and the orchestration's instance id.
/// </summary>
internal static class DurableActivity
{
    public static async Task<TOutput> RunAsync<TActivity, TInput, TOutput>(TInput input, string instanceId, FunctionContext context)
        where TActivity : TaskActivity<TInput, TOutput>
    {
        ArgumentNullException.ThrowIfNull(context);
        var activity = ActivatorUtilities.GetServiceOrCreateInstance<TActivity>(context.InstanceServices);
        var result = await ((ITaskActivity)activity).RunAsync(new FunctionActivityContext(context.FunctionDefinition.Name, instanceId), input).ConfigureAwait(false);
        return (TOutput)result!;
    }

    private sealed class FunctionActivityContext(string name, string instanceId) : TaskActivityContext
    {
        public override TaskName Name { get; } = name;

        public override string InstanceId { get; } = instanceId;
    }
}
