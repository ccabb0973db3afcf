using System.Reflection;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Serverless.Hosting.Background;
using Serverless.Hosting.Blobs;
using Serverless.Hosting.Configuration;
using Serverless.Hosting.Health;
using Serverless.Hosting.Invocation;
using Serverless.Hosting.Http;
using Serverless.Hosting.Keys;
using Serverless.Hosting.Telemetry;
using Serverless.Hosting.Timers;

namespace Serverless.Hosting;

/// <summary>Composition of the host: <c>AddFunctionsHost</c>, <c>AddFunctions</c>, and <c>UseFunctionsHost</c> on the app.</summary>
public static class FunctionsHostServiceCollectionExtensions
{
    /// <summary>
    /// Registers the host (options from host.json and settings, function catalog and invoker, keys, blob and
    /// timer listeners, health, telemetry). Storage (<c>IBlobStore</c>, <c>ITableStore</c>, <c>IQueueStore</c>,
    /// <c>ILeaseStore</c>) must be registered separately. Safe to call more than once.
    /// </summary>
    public static IServiceCollection AddFunctionsHost(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        if (services.Any(d => d.ServiceType == typeof(FunctionCatalog)))
        {
            return services;
        }

        services.AddFunctionKeys(configuration);
        services.AddOptions<HttpOptions>().Bind(configuration.GetSection(HttpOptions.Section));
        services.AddOptions<BlobsOptions>().Bind(configuration.GetSection(BlobsOptions.Section));
        services.AddOptions<TimersOptions>().Bind(configuration.GetSection(TimersOptions.Section));
        services.AddOptions<KestrelServerOptions>().Configure<IOptions<HttpOptions>>((kestrel, http) =>
        {
            if (http.Value.MaxRequestBodySize is { } limit)
            {
                kestrel.Limits.MaxRequestBodySize = limit;
            }
        });

        services.AddSingleton<FunctionCatalog>();
        services.AddSingleton<FunctionInvoker>();

        services.AddSingleton<BlobReceiptStore>();
        services.AddSingleton<BlobTriggerDispatcher>();
        services.AddHostedService<BlobPollingListener>();
        services.AddHostedService<BlobEventListener>();

        services.AddSingleton<ScheduleStatusStore>();
        services.AddSingleton<TimerScheduler>();
        services.AddHostedService<TimerFunctionRegistrar>();
        services.AddHostedService(sp => sp.GetRequiredService<TimerScheduler>());

        services.AddHostedService<FunctionListing>();
        services.AddFunctionsTelemetry(configuration);
        return services;
    }

    /// <summary>
    /// The parts both hosts share: host options, the product's keys (store, index, master key, the one
    /// authorizer the worker middleware uses) and health. Safe to call more than once.
    /// </summary>
    public static IServiceCollection AddFunctionKeys(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        if (services.Any(d => d.ServiceType == typeof(FunctionKeyAuthorizer)))
        {
            return services;
        }

        services.AddOptions<FunctionsHostOptions>().Configure(o =>
        {
            o.HostId = configuration["AzureFunctionsWebHost:hostId"] is { Length: > 0 } id ? id : o.HostId;
            o.FunctionTimeout = configuration[FunctionsHostOptions.HostJsonSection + ":functionTimeout"] is { Length: > 0 } timeout
                ? TimeSpan.Parse(timeout, System.Globalization.CultureInfo.InvariantCulture)
                : o.FunctionTimeout;
            o.DrainTimeout = configuration["Host:DrainTimeout"] is { Length: > 0 } drain
                ? TimeSpan.Parse(drain, System.Globalization.CultureInfo.InvariantCulture)
                : o.DrainTimeout;
        });
        services.AddOptions<KeysOptions>().Bind(configuration.GetSection(KeysOptions.Section))
            .Configure(o => o.MasterKey = configuration["MasterKey"] is { Length: > 0 } master ? master : o.MasterKey);
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<HostInstance>();
        services.AddSingleton<WorkerHealth>();
        services.AddSingleton<HostHealth>();
        services.AddSingleton<FunctionKeyStore>();
        services.AddSingleton<FunctionKeyIndex>();
        services.AddSingleton<MasterKey>();
        services.AddSingleton<FunctionKeyAuthorizer>();
        services.AddHostedService<MasterKeyProvisioner>();
        return services;
    }

    /// <summary>Adds the functions of these assemblies (public classes with <see cref="FunctionAttribute"/> methods).</summary>
    public static IServiceCollection AddFunctions(this IServiceCollection services, params Assembly[] assemblies)
    {
        ArgumentNullException.ThrowIfNull(assemblies);
        foreach (var assembly in assemblies)
        {
            services.AddSingleton(FunctionSource.FromAssembly(assembly));
        }

        return services;
    }

    /// <summary>Adds the functions of just these classes.</summary>
    public static IServiceCollection AddFunctionClasses(this IServiceCollection services, params Type[] classes) =>
        services.AddSingleton(new FunctionSource(classes));

    /// <summary>Adds correlation ids, generic answers for unhandled exceptions, the HTTP functions and the telemetry endpoint to the app.</summary>
    public static WebApplication UseFunctionsHost(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.UseMiddleware<CorrelationMiddleware>();
        app.UseMiddleware<UnhandledExceptionMiddleware>();
        app.MapFunctions();
        app.MapFunctionsTelemetry();
        return app;
    }
}
