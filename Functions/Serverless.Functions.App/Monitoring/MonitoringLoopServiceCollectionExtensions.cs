using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Serverless.Hosting;
using Serverless.Monitoring.Stores;
using Serverless.Monitoring.Webhooks;

namespace Serverless.Functions.Monitoring;

/// <summary>Registers the monitoring loop: stores, checks, retrain trigger, run announcements and the functions.</summary>
public static class MonitoringLoopServiceCollectionExtensions
{
    /// <summary>
    /// Adds the monitoring stores (<see cref="MonitoringStoresServiceCollectionExtensions.AddMonitoringStores"/>) under
    /// <paramref name="names"/>, the checks, the options section <c>Monitoring:Loop</c> and this assembly's functions.
    /// Needs the registry, the durable client and serving's prediction log options registered too.
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
        services.AddOptions<RetentionOptions>().BindConfiguration(RetentionOptions.SectionName)
            .Validate(o =>
            {
                o.Validate();
                return true;
            });
        services.AddMetrics();
        services.TryAddSingleton<MonitoringMetrics>();
        services.TryAddSingleton<PredictionLogReader>();
        services.TryAddSingleton<TrainingReference>();
        services.TryAddSingleton<ProductionModel>();
        services.TryAddSingleton<FeedbackDataset>();
        services.TryAddSingleton<RetrainTrigger>();
        services.TryAddTransient<DriftMonitor>();
        services.TryAddTransient<PerformanceMonitor>();
        services.TryAddTransient<LedgeredWebhookDelivery>(); // WebhookSender is a typed HTTP client: transient.
        services.TryAddSingleton<RunEventNotifier>();
        services.AddModelEventDispatch();
        services.TryAddSingleton<MonitoringSchedules>();
        services.TryAddTransient<Housekeeping>();
        services.AddFunctions(typeof(MonitoringFunctions).Assembly);
        return services;
    }
}
