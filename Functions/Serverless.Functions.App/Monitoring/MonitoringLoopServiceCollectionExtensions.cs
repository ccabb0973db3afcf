using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Serverless.Functions.Schedules;
using Serverless.Hosting;
using Serverless.Hosting.Configuration;
using Serverless.Monitoring.Stores;
using Serverless.Monitoring.Webhooks;

namespace Serverless.Functions.Monitoring;

/// <summary>Registers the monitoring loop: stores, checks, retrain trigger, run announcements and the functions.</summary>
public static class MonitoringLoopServiceCollectionExtensions
{
    /// <summary>
    /// Adds the monitoring stores (<see cref="MonitoringStoresServiceCollectionExtensions.AddMonitoringStores"/>) under
    /// <paramref name="names"/>, the checks, the options section <c>Monitoring:Loop</c>, housekeeping and feedback
    /// datasets (<see cref="MonitoringOrchestrationServiceCollectionExtensions.AddMonitoringLoopOrchestration"/>), the
    /// alias-event dispatch, the development webhook secret key and this assembly's functions.
    /// Needs the registry, the durable client, the training pipeline's services and serving's prediction log options registered too.
    /// </summary>
    public static IServiceCollection AddMonitoringLoop(this IServiceCollection services, MonitoringStorageNames names)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddMonitoringStores(names);
        services.AddOptions<MonitoringLoopOptions>().BindConfiguration(MonitoringLoopOptions.SectionName)
            .Validate(o =>
            {
                o.Validate();
                return true;
            });
        services.AddMetrics();
        services.TryAddSingleton<MonitoringMetrics>();
        services.AddMonitoringLoopOrchestration();
        services.TryAddSingleton<TrainingReference>();
        services.TryAddSingleton<ProductionModel>();
        services.TryAddSingleton<RetrainTrigger>();
        services.TryAddTransient<DriftMonitor>();
        services.TryAddTransient<PerformanceMonitor>();
        services.TryAddTransient<LedgeredWebhookDelivery>(); // WebhookSender is a typed HTTP client: transient.
        services.TryAddSingleton<RunEventNotifier>();
        services.AddModelEventDispatch();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IPostConfigureOptions<WebhookSecretOptions>, DevelopmentWebhookSecretKey>(sp => new DevelopmentWebhookSecretKey(
            sp.GetRequiredService<IHostEnvironment>(),
            sp.GetRequiredService<IConfiguration>(),
            MasterKeyDirectory(sp.GetRequiredService<IOptions<FunctionsHostOptions>>().Value, sp.GetRequiredService<IOptions<KeysOptions>>().Value),
            sp.GetRequiredService<ILogger<DevelopmentWebhookSecretKey>>())));
        services.AddProjectSchedules();
        services.TryAddSingleton<MonitoringSchedules>();
        services.AddFunctions(typeof(MonitoringFunctions).Assembly);
        return services;
    }

    /// <summary>The folder of the host's master key file, where a development machine keeps its webhook secret key.</summary>
    public static string MasterKeyDirectory(FunctionsHostOptions host, KeysOptions keys)
    {
        ArgumentNullException.ThrowIfNull(host);
        ArgumentNullException.ThrowIfNull(keys);
        return Path.Combine(host.RootPath, Path.GetDirectoryName(keys.MasterKeyFile) ?? string.Empty);
    }
}
