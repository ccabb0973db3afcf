using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Serverless.Hosting.Keys;

namespace Serverless.Hosting.Http;

/// <summary>Enforces a function key level (and project scope) on the local host's own endpoints (the durable management API).</summary>
public sealed class FunctionKeyEndpointFilter(AuthorizationLevel level, KeyPermissions? permission = null) : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);
        var http = context.HttpContext;
        var check = await http.RequestServices.GetRequiredService<FunctionKeyAuthorizer>()
            .CheckAsync(http, level, permission, http.RequestAborted).ConfigureAwait(false);
        if (!check.Allowed)
        {
            return HttpContextFunctionExtensions.Error(check.StatusCode, check.Error!);
        }

        http.SetCaller(check.Caller);
        return await next(context).ConfigureAwait(false);
    }
}

/// <summary>
/// <c>.RequireFunctionKey(AuthorizationLevel.Admin)</c> or <c>.RequireFunctionKey(AuthorizationLevel.Function, KeyPermissions.Predict)</c>
/// on endpoints and route groups.
/// </summary>
public static class FunctionKeyEndpointExtensions
{
    public static TBuilder RequireFunctionKey<TBuilder>(this TBuilder builder, AuthorizationLevel level)
        where TBuilder : IEndpointConventionBuilder =>
        builder.AddEndpointFilter(new FunctionKeyEndpointFilter(level));

    /// <summary>A key of <paramref name="level"/> that, when it lists permissions, includes <paramref name="permission"/>.</summary>
    public static TBuilder RequireFunctionKey<TBuilder>(this TBuilder builder, AuthorizationLevel level, KeyPermissions permission)
        where TBuilder : IEndpointConventionBuilder =>
        builder.AddEndpointFilter(new FunctionKeyEndpointFilter(level, permission));
}
