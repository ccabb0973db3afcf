using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Serverless.Hosting.Configuration;
using Serverless.Hosting.Keys;

namespace Serverless.Hosting.Http;

/// <summary>Maps every <see cref="HttpTriggerAttribute"/> function to an endpoint under the route prefix.</summary>
public static partial class HttpFunctionEndpoints
{
    /// <summary>The full route template of an HTTP function (prefix included, no leading slash).</summary>
    public static string RouteOf(FunctionDescriptor function, string routePrefix)
    {
        ArgumentNullException.ThrowIfNull(function);
        var trigger = (HttpTriggerAttribute)function.Trigger;
        var route = (trigger.Route ?? function.Name).Trim('/');
        var prefix = (routePrefix ?? string.Empty).Trim('/');
        return prefix.Length == 0 ? route : prefix + "/" + route;
    }

    /// <summary>Maps the HTTP functions; call once after <c>Build()</c>.</summary>
    public static IEndpointRouteBuilder MapFunctions(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        var services = endpoints.ServiceProvider;
        var prefix = services.GetRequiredService<IOptions<HttpOptions>>().Value.RoutePrefix;
        foreach (var function in services.GetRequiredService<FunctionCatalog>().WithTrigger<HttpTriggerAttribute>())
        {
            var trigger = (HttpTriggerAttribute)function.Trigger;
            var pattern = "/" + RouteOf(function, prefix);
            RequestDelegate handler = http => HandleAsync(function, trigger, http);
            var endpoint = trigger.Methods.Count == 0
                ? endpoints.Map(pattern, handler)
                : endpoints.MapMethods(pattern, trigger.Methods.Select(m => m.ToUpperInvariant()).ToArray(), handler);
            endpoint.WithName(function.Name).WithDisplayName(function.Name);
            if (function.Method.GetCustomAttributes(typeof(RequiresPermissionAttribute), inherit: false) is [RequiresPermissionAttribute permission])
            {
                endpoint.WithMetadata(permission);
            }
        }

        return endpoints;
    }

    private static async Task HandleAsync(FunctionDescriptor function, HttpTriggerAttribute trigger, HttpContext http)
    {
        var services = http.RequestServices;
        var check = await services.GetRequiredService<FunctionKeyAuthorizer>().CheckAsync(http, trigger.AuthLevel, http.RequestAborted).ConfigureAwait(false);
        if (!check.Allowed)
        {
            await HttpContextFunctionExtensions.Error(check.StatusCode, check.Error!).ExecuteAsync(http).ConfigureAwait(false);
            return;
        }

        http.SetCaller(check.Caller);
        var bindingData = http.Request.RouteValues
            .Where(kv => kv.Value is not null)
            .ToDictionary(kv => kv.Key, kv => Convert.ToString(kv.Value, System.Globalization.CultureInfo.InvariantCulture)!, StringComparer.OrdinalIgnoreCase);
        var request = new InvocationRequest(http.Request, http.GetCorrelationId(), check.Caller, bindingData, services);
        object? result;
        try
        {
            result = await services.GetRequiredService<FunctionInvoker>().InvokeAsync(function, request, http.RequestAborted).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException || !http.RequestAborted.IsCancellationRequested)
        {
            if (!ExceptionResponses.IsBadInput(e))
            {
                LogUnhandled(services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(HttpFunctionEndpoints)), e, function.Name, http.GetCorrelationId());
            }

            if (!http.Response.HasStarted)
            {
                await ExceptionResponses.For(e, http.GetCorrelationId(), $"Function '{function.Name}'").ExecuteAsync(http).ConfigureAwait(false);
            }

            return;
        }

        var response = result switch
        {
            IResult r => r,
            null => Results.NoContent(),
            _ => Results.Json(result),
        };
        await response.ExecuteAsync(http).ConfigureAwait(false);
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "HTTP function '{Function}' failed (correlation id {CorrelationId})")]
    private static partial void LogUnhandled(ILogger logger, Exception exception, string function, string correlationId);
}
