using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Serverless.Registry;
using Serverless.Storage;

namespace Serverless.Monitoring.Webhooks;

/// <summary>Registers the dispatch of registry events to webhooks.</summary>
public static class ModelEventServiceCollectionExtensions
{
    /// <summary>
    /// Adds <see cref="ModelAliasOutbox"/> (over the registered <see cref="RegistryTables"/>, or the defaults) and
    /// <see cref="AliasEventDispatcher"/> (run by the <c>DispatchAliasEvents</c> timer function). Needs the monitoring
    /// stores registered too.
    /// </summary>
    public static IServiceCollection AddModelEventDispatch(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.TryAddSingleton(sp => new ModelAliasOutbox(sp.GetRequiredService<ITableStore>(), sp.GetService<RegistryTables>()));
        services.TryAddTransient<LedgeredWebhookDelivery>(); // WebhookSender is a typed HTTP client: transient.
        services.TryAddTransient<AliasEventDispatcher>();
        return services;
    }
}
