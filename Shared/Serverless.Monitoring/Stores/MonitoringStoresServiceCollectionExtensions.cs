using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Serverless.Monitoring.Webhooks;

namespace Serverless.Monitoring.Stores;

/// <summary>Registers the storage-backed monitoring stores and the webhook publisher.</summary>
public static class MonitoringStoresServiceCollectionExtensions
{
    /// <summary>
    /// Adds <see cref="MonitoringServiceCollectionExtensions.AddMonitoring"/>'s services plus <see cref="DriftReportStore"/>, <see cref="AlertStore"/>,
    /// <see cref="WebhookSubscriptionStore"/> (secrets encrypted with <see cref="WebhookSecretProtector"/>, options section
    /// <c>Product:Webhooks</c>), <see cref="WebhookDeliveryLedger"/> and <see cref="WebhookPublisher"/> over the registered storage interfaces.
    /// </summary>
    public static IServiceCollection AddMonitoringStores(this IServiceCollection services, MonitoringStorageNames? names = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        MonitoringServiceCollectionExtensions.AddMonitoring(services);
        services.TryAddSingleton(names ?? new MonitoringStorageNames());
        services.TryAddSingleton<DriftReportStore>();
        services.TryAddSingleton<AlertStore>();
        services.AddOptions<WebhookSecretOptions>().BindConfiguration(WebhookSecretOptions.SectionName)
            .Validate(o =>
            {
                _ = o.KeyBytes(); // throws naming the setting when it is not base64 of 32 bytes
                return true;
            });
        services.TryAddSingleton<WebhookSecretProtector>();
        services.TryAddSingleton<WebhookSubscriptionStore>();
        services.TryAddSingleton<WebhookDeliveryLedger>();
        services.TryAddTransient<WebhookPublisher>(); // WebhookSender is a typed HTTP client: transient.
        return services;
    }
}
