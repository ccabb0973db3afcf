using System.Reflection;
using Microsoft.Azure.Functions.Worker.Extensions.Abstractions;

namespace Serverless.Hosting;

/// <summary>
/// A discovered function: the method, its class, its trigger (the worker SDK's attribute, with <c>%Setting%</c>
/// parts of blob paths and schedules resolved) and the product key it needs (HTTP only).
/// </summary>
public sealed record FunctionDescriptor(string Name, Type ClassType, MethodInfo Method, ParameterInfo TriggerParameter, TriggerBindingAttribute Trigger)
{
    /// <summary><c>{namespace}.{class}.{method}</c>, as <c>functions.metadata</c> names the entry point.</summary>
    public string EntryPoint => $"{ClassType.FullName}.{Method.Name}";

    /// <summary>The trigger's binding type as <c>functions.metadata</c> spells it (<c>httpTrigger</c>, <c>blobTrigger</c>, ...).</summary>
    public string TriggerType => TriggerTypes.Of(Trigger);

    public RequiresKeyAttribute? Key => Method.GetCustomAttribute<RequiresKeyAttribute>();

    /// <summary>The method's parameters, read once (<see cref="MethodBase.GetParameters"/> copies its array on every call).</summary>
    internal ParameterInfo[] Parameters { get; } = Method.GetParameters();

    /// <summary>The name of the invocation's trace span, made once rather than per invocation.</summary>
    internal string ActivityName { get; } = "Invoke " + Name;
}
