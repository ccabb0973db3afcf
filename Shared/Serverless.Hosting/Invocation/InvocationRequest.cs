using Microsoft.AspNetCore.Http;

namespace Serverless.Hosting.Invocation;

/// <summary>What a trigger hands the invoker.</summary>
/// <param name="TriggerValue">
/// For the trigger parameter: the <see cref="HttpContext"/>'s request, a <see cref="BlobTriggerValue"/>, a
/// <see cref="TimerInfo"/>, or an activity's input.
/// </param>
/// <param name="BindingData">Route values, blob path captures, <c>instanceId</c>: bound to parameters by name.</param>
/// <param name="CorrelationId">The id the trigger carries (a blob dispatch, a timer occurrence); <c>null</c> for the middleware to choose.</param>
/// <param name="Http">The request of an HTTP invocation.</param>
/// <param name="Services">Services for the invocation; <c>null</c> to create a scope.</param>
public sealed record InvocationRequest(
    object? TriggerValue,
    IReadOnlyDictionary<string, object?> BindingData,
    string? CorrelationId = null,
    HttpContext? Http = null,
    IServiceProvider? Services = null);
