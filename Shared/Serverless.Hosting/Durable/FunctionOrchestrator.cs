using System.Reflection;
using System.Runtime.ExceptionServices;
using Microsoft.DurableTask;

namespace Serverless.Hosting.Durable;

/// <summary>
/// An <c>[OrchestrationTrigger]</c> function as a Durable Task SDK orchestrator: the worker replays it by calling
/// the function's method with the <see cref="TaskOrchestrationContext"/>, as the Durable extension does in Azure.
/// </summary>
internal sealed class FunctionOrchestrator(FunctionDescriptor function, DataConverter converter) : ITaskOrchestrator
{
    /// <summary>The function reads its input from the context (<c>GetInput&lt;T&gt;()</c>, of a type it alone knows): kept as JSON until then.</summary>
    public Type InputType => typeof(System.Text.Json.JsonElement?);

    public Type OutputType => DurableFunctionTypes.ResultOf(function.Method);

    public async Task<object?> RunAsync(TaskOrchestrationContext context, object? input)
    {
        var instance = function.Method.IsStatic ? null : Activator.CreateInstance(function.ClassType);
        var arguments = function.Method.GetParameters().Select(p => p.Position == function.TriggerParameter.Position
            ? new FunctionOrchestrationContext(context, (input as System.Text.Json.JsonElement?)?.GetRawText(), converter)
            : throw new InvalidOperationException($"Orchestrator function '{function.Name}': only the [OrchestrationTrigger] context can be bound, not '{p.Name}'.")).ToArray<object?>();
        object? result;
        try
        {
            result = function.Method.Invoke(instance, arguments);
        }
        catch (TargetInvocationException e) when (e.InnerException is not null)
        {
            ExceptionDispatchInfo.Capture(e.InnerException).Throw();
            throw;
        }

        return await DurableFunctionTypes.AwaitAsync(result, function.Method.ReturnType).ConfigureAwait(false);
    }
}
