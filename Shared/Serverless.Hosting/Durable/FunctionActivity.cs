using Microsoft.DurableTask;
using Microsoft.Extensions.DependencyInjection;
using Serverless.Hosting.Invocation;

namespace Serverless.Hosting.Durable;

/// <summary>
/// An <c>[ActivityTrigger]</c> function as a Durable Task SDK activity: its input arrives deserialized to the
/// trigger parameter's type and the function runs through the <see cref="FunctionInvoker"/> (worker middleware,
/// binding data <c>instanceId</c>) with the activity's scope of services.
/// </summary>
internal sealed class FunctionActivity(FunctionDescriptor function, IServiceProvider services) : ITaskActivity
{
    public Type InputType => function.TriggerParameter.ParameterType;

    public Type OutputType => DurableFunctionTypes.ResultOf(function.Method);

    public Task<object?> RunAsync(TaskActivityContext context, object? input)
    {
        ArgumentNullException.ThrowIfNull(context);
        var bindingData = new Dictionary<string, object?>(StringComparer.OrdinalIgnoreCase)
        {
            ["instanceId"] = context.InstanceId,
            ["name"] = context.Name.Name,
        };
        var request = new InvocationRequest(input, bindingData, Services: services);
        return services.GetRequiredService<FunctionInvoker>().InvokeAsync(function, request, CancellationToken.None);
    }
}
