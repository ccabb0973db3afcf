using System.Collections.Concurrent;
using System.Reflection;
using Microsoft.Azure.Functions.Worker.Middleware;
using Serverless.Hosting.Http;
using Serverless.Hosting.Keys;

namespace Serverless.Hosting.Middleware;

/// <summary>
/// Worker middleware (both hosts): checks the product key an HTTP function declares with
/// <see cref="RequiresKeyAttribute"/> through the one <see cref="FunctionKeyAuthorizer"/>, answers 401/403 naming
/// what is missing without running the function, and records the caller for the function.
/// </summary>
public sealed class FunctionKeyMiddleware(FunctionKeyAuthorizer authorizer) : IFunctionsWorkerMiddleware
{
    private readonly ConcurrentDictionary<string, RequiresKeyAttribute?> _requirements = new(StringComparer.Ordinal);

    public async Task Invoke(FunctionContext context, FunctionExecutionDelegate next)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);
        if (context.GetHttpContext() is not { } http)
        {
            context.SetCaller(CallerIdentity.System);
            await next(context).ConfigureAwait(false);
            return;
        }

        var required = _requirements.GetOrAdd(context.FunctionId, static (_, definition) => RequirementOf(definition), context.FunctionDefinition);
        var check = await authorizer.CheckAsync(http, required?.Level ?? AuthorizationLevel.Anonymous, required?.Permission, http.RequestAborted).ConfigureAwait(false);
        if (!check.Allowed)
        {
            await HttpContextFunctionExtensions.Error(check.StatusCode, check.Error!).ExecuteAsync(http).ConfigureAwait(false);
            return;
        }

        context.SetCaller(check.Caller);
        await next(context).ConfigureAwait(false);
    }

    /// <summary>The <see cref="RequiresKeyAttribute"/> of the function's method, found from its entry point.</summary>
    private static RequiresKeyAttribute? RequirementOf(FunctionDefinition definition)
    {
        var split = definition.EntryPoint.LastIndexOf('.');
        var typeName = definition.EntryPoint[..split];
        var methodName = definition.EntryPoint[(split + 1)..];
        var type = AppDomain.CurrentDomain.GetAssemblies()
            .Select(a => a.GetType(typeName, throwOnError: false))
            .FirstOrDefault(t => t is not null)
            ?? Assembly.LoadFrom(definition.PathToAssembly).GetType(typeName, throwOnError: true)!;
        var method = type.GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static)
            .Single(m => m.Name == methodName && m.GetCustomAttribute<FunctionAttribute>()?.Name == definition.Name);
        return method.GetCustomAttribute<RequiresKeyAttribute>();
    }
}
