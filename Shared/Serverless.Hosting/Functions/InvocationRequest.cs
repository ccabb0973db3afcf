namespace Serverless.Hosting;

/// <summary>What a trigger hands the invoker: the trigger value and the invocation's identity.</summary>
/// <param name="TriggerValue">Bound to the trigger parameter (<c>HttpRequest</c>, <see cref="BlobTriggerContext"/>, <see cref="TimerInfo"/>).</param>
/// <param name="Services">Services for the invocation; <c>null</c> to create a scope.</param>
public sealed record InvocationRequest(
    object TriggerValue,
    string CorrelationId,
    CallerIdentity Caller,
    IReadOnlyDictionary<string, string> BindingData,
    IServiceProvider? Services = null);
