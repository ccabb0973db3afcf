using Microsoft.Extensions.Logging;

namespace Serverless.Hosting;

/// <summary>One invocation of a function: its ids, caller, logger and cancellation.</summary>
public sealed class FunctionContext
{
    public required string InvocationId { get; init; }

    public required string FunctionName { get; init; }

    /// <summary>Correlates this invocation with what caused it (the <c>x-correlation-id</c> or <c>traceparent</c> of a request).</summary>
    public required string CorrelationId { get; init; }

    public required CallerIdentity Caller { get; init; }

    public required ILogger Logger { get; init; }

    /// <summary>The invocation's services (a scope of its own).</summary>
    public required IServiceProvider InstanceServices { get; init; }

    /// <summary>Cancelled when the function times out or the host stops.</summary>
    public CancellationToken CancellationToken { get; init; }

    /// <summary>Values from the trigger (route values, blob path captures).</summary>
    public IReadOnlyDictionary<string, string> BindingData { get; init; } = new Dictionary<string, string>();
}
