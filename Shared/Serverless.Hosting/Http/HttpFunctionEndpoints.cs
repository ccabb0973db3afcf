using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Serverless.Hosting.Configuration;
using Serverless.Hosting.Invocation;

namespace Serverless.Hosting.Http;

/// <summary>
/// Maps every <see cref="HttpTriggerAttribute"/> function to an ASP.NET Core endpoint at its route under the
/// host.json route prefix, with its methods; the invocation runs through the worker middleware (keys, errors) and
/// its <see cref="IResult"/> is executed on the response, as the ASP.NET Core integration does.
/// </summary>
public static class HttpFunctionEndpoints
{
    /// <summary>The full route template of an HTTP function (prefix included, no leading slash).</summary>
    public static string RouteOf(FunctionDescriptor function, string routePrefix)
    {
        ArgumentNullException.ThrowIfNull(function);
        var trigger = (HttpTriggerAttribute)function.Trigger;
        var route = (trigger.Route ?? function.Name).Trim('/');
        var prefix = (routePrefix ?? string.Empty).Trim('/');
        return prefix.Length == 0 ? route : route.Length == 0 ? prefix : prefix + "/" + route;
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
            RequestDelegate handler = http => HandleAsync(function, http);
            var methods = trigger.Methods ?? [];
            var endpoint = methods.Length == 0
                ? endpoints.Map(pattern, handler)
                : endpoints.MapMethods(pattern, methods.Select(m => m.ToUpperInvariant()).ToArray(), handler);
            endpoint.WithName(function.Name).WithDisplayName(function.Name);
        }

        return endpoints;
    }

    private static async Task HandleAsync(FunctionDescriptor function, HttpContext http)
    {
        var bindingData = new Dictionary<string, object?>(StringComparer.OrdinalIgnoreCase);
        foreach (var (key, value) in http.Request.RouteValues)
        {
            bindingData[key] = value;
        }

        foreach (var (key, value) in http.Request.Query)
        {
            bindingData.TryAdd(key, value.ToString());
        }

        var request = new InvocationRequest(http.Request, bindingData, Http: http, Services: http.RequestServices);
        object? result;
        try
        {
            result = await http.RequestServices.GetRequiredService<FunctionInvoker>().InvokeAsync(function, request, http.RequestAborted).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (http.RequestAborted.IsCancellationRequested)
        {
            return;
        }

        if (http.Response.HasStarted)
        {
            return; // the middleware answered (a refused key, an error), or the function wrote the response itself
        }

        var response = result switch
        {
            IResult r => r,
            null => Results.NoContent(),
            string text => Results.Text(text),
            _ => Results.Json(result),
        };
        await response.ExecuteAsync(http).ConfigureAwait(false);
    }
}
