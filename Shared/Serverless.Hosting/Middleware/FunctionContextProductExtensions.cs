using Microsoft.AspNetCore.Http;
using Serverless.Hosting.Http;

namespace Serverless.Hosting;

/// <summary>
/// What the product's worker middleware puts on an invocation, on either host: the correlation id that follows
/// a request (or trigger) to its predictions and runs, and who called.
/// </summary>
public static class FunctionContextProductExtensions
{
    private const string CorrelationKey = "Serverless.CorrelationId";
    private const string CallerKey = "Serverless.Caller";

    /// <summary>The invocation's correlation id (set by <see cref="Middleware.CorrelationMiddleware"/>; the invocation id otherwise).</summary>
    public static string GetCorrelationId(this FunctionContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return context.Items.TryGetValue(CorrelationKey, out var id) && id is string text ? text : context.InvocationId;
    }

    public static void SetCorrelationId(this FunctionContext context, string id)
    {
        ArgumentNullException.ThrowIfNull(context);
        context.Items[CorrelationKey] = id;
    }

    /// <summary>
    /// Who called: the key the authorization middleware accepted; <see cref="CallerIdentity.Anonymous"/> for an
    /// anonymous HTTP call, <see cref="CallerIdentity.System"/> for blob, timer and durable triggers.
    /// </summary>
    public static CallerIdentity GetCaller(this FunctionContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.Items.TryGetValue(CallerKey, out var caller) && caller is CallerIdentity identity)
        {
            return identity;
        }

        return context.GetHttpContext() is { } http ? http.GetCaller() : CallerIdentity.System;
    }

    public static void SetCaller(this FunctionContext context, CallerIdentity caller)
    {
        ArgumentNullException.ThrowIfNull(context);
        context.Items[CallerKey] = caller;
        context.GetHttpContext()?.SetCaller(caller);
    }
}
