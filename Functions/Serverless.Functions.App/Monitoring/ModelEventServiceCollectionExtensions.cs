using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Serverless.Monitoring.Webhooks;
using Serverless.Registry;
using Serverless.Storage;

namespace Serverless.Functions.Monitoring;

/// <summary>Registers the dispatch of registry events to webhooks and the development webhook secret key.</summary>
public static class ModelEventServiceCollectionExtensions
{
    /// <summary>
    /// Adds <see cref="ModelAliasOutbox"/> (over the registered <see cref="RegistryTables"/>, or the defaults),
    /// <see cref="AliasEventDispatcher"/> (run by the <c>DispatchAliasEvents</c> timer function) and
    /// <see cref="DevelopmentWebhookSecretKey"/>. Needs the monitoring stores registered too.
    /// </summary>
    public static IServiceCollection AddModelEventDispatch(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.TryAddSingleton(sp => new ModelAliasOutbox(sp.GetRequiredService<ITableStore>(), sp.GetService<RegistryTables>()));
        services.TryAddTransient<LedgeredWebhookDelivery>(); // WebhookSender is a typed HTTP client: transient.
        services.TryAddTransient<AliasEventDispatcher>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IPostConfigureOptions<WebhookSecretOptions>, DevelopmentWebhookSecretKey>());
        return services;
    }
}
