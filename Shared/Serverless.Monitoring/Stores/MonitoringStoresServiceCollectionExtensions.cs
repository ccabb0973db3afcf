using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Serverless.Monitoring.Webhooks;

namespace Serverless.Monitoring.Stores;

/// <summary>Registers the storage-backed monitoring stores and the webhook publisher.</summary>
public static class MonitoringStoresServiceCollectionExtensions
{
    /// <summary>
    /// Adds <see cref="MonitoringServiceCollectionExtensions.AddMonitoring"/>'s services plus <see cref="DriftReportStore"/>, <see cref="AlertStore"/>,
    /// <see cref="WebhookSubscriptionStore"/> and <see cref="WebhookPublisher"/> over the registered storage interfaces.
    /// </summary>
    public static IServiceCollection AddMonitoringStores(this IServiceCollection services, MonitoringStorageNames? names = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        MonitoringServiceCollectionExtensions.AddMonitoring(services);
        services.TryAddSingleton(names ?? new MonitoringStorageNames());
        services.TryAddSingleton<DriftReportStore>();
        services.TryAddSingleton<AlertStore>();
        services.TryAddSingleton<WebhookSubscriptionStore>();
        services.TryAddTransient<WebhookPublisher>(); // WebhookSender is a typed HTTP client: transient.
        return services;
    }
}
