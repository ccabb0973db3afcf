using System.Diagnostics;
using Microsoft.Azure.Functions.Worker.Middleware;
using Microsoft.Extensions.Logging;
using Serverless.Hosting.Http;

namespace Serverless.Hosting.Middleware;

/// <summary>
/// Worker middleware (both hosts): gives every invocation one correlation id. HTTP: the request's
/// <c>x-correlation-id</c>, else its <c>traceparent</c>'s trace id, else a new one, echoed in the response. Other
/// triggers keep the id their host set (a blob dispatch, a timer occurrence), else use the invocation id.
/// </summary>
public sealed class CorrelationMiddleware(ILogger<CorrelationMiddleware> logger) : IFunctionsWorkerMiddleware
{
    public async Task Invoke(FunctionContext context, FunctionExecutionDelegate next)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);
        string id;
        if (context.GetHttpContext() is { } http)
        {
            id = http.TryGetCorrelationId(out var set) ? set : Http.CorrelationMiddleware.Of(http.Request);
            http.SetCorrelationId(id);
            if (!http.Response.HasStarted)
            {
                http.Response.Headers[Http.CorrelationMiddleware.HeaderName] = id;
            }
        }
        else
        {
            id = context.GetCorrelationId();
        }

        context.SetCorrelationId(id);
        Activity.Current?.SetTag("correlation.id", id);
        using (logger.BeginScope(new InvocationScope(id, context.FunctionDefinition.Name)))
        {
            await next(context).ConfigureAwait(false);
        }
    }

    /// <summary>The log scope of one invocation: two properties, without a dictionary per request.</summary>
    private sealed class InvocationScope(string correlationId, string functionName) : IReadOnlyList<KeyValuePair<string, object>>
    {
        public int Count => 2;

        public KeyValuePair<string, object> this[int index] => index switch
        {
            0 => new("CorrelationId", correlationId),
            1 => new("FunctionName", functionName),
            _ => throw new ArgumentOutOfRangeException(nameof(index)),
        };

        public IEnumerator<KeyValuePair<string, object>> GetEnumerator()
        {
            yield return this[0];
            yield return this[1];
        }

        System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();

        public override string ToString() => $"CorrelationId:{correlationId} FunctionName:{functionName}";
    }
}
