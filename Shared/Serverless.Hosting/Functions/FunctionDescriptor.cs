using System.Reflection;

namespace Serverless.Hosting;

/// <summary>A discovered function: the method, its class and its trigger (with <c>%Setting%</c> parts resolved).</summary>
public sealed record FunctionDescriptor(string Name, Type ClassType, MethodInfo Method, ParameterInfo TriggerParameter, TriggerAttribute Trigger);
