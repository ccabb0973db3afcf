using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Serverless.Monitoring.Drift;
using Serverless.Monitoring.Performance;
using Serverless.Monitoring.Webhooks;

namespace Serverless.Monitoring;

/// <summary>Registers drift analysis and the webhook sender.</summary>
public static class MonitoringServiceCollectionExtensions
{
    /// <summary>
    /// Adds <see cref="DriftAnalyzer"/> (singleton), the typed-client <see cref="WebhookSender"/> (via
    /// <c>IHttpClientFactory</c>) and the options sections <c>Monitoring:Drift</c>, <c>Monitoring:Performance</c>
    /// and <c>Monitoring:Webhooks</c>, each validated at first use, and the <see cref="WebhookDestinationPolicy"/> (section
    /// <c>Product:Webhooks</c>, <c>AllowPrivateNetworks</c>; the environment from <see cref="IHostEnvironment"/>, enforcing when none is registered).
    /// </summary>
    public static IServiceCollection AddMonitoring(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.TryAddSingleton(TimeProvider.System);
        services.AddOptions<DriftOptions>().BindConfiguration(DriftOptions.SectionName)
            .Validate(Validates<DriftOptions>(o => o.Validate()));
        services.AddOptions<PerformanceOptions>().BindConfiguration(PerformanceOptions.SectionName)
            .Validate(Validates<PerformanceOptions>(o => o.Validate()));
        services.AddOptions<WebhookOptions>().BindConfiguration(WebhookOptions.SectionName)
            .Validate(Validates<WebhookOptions>(o => o.Validate()));
        services.AddOptions<WebhookNetworkOptions>().BindConfiguration(WebhookNetworkOptions.SectionName);
        services.TryAddSingleton(sp => new WebhookDestinationPolicy(
            sp.GetRequiredService<IOptions<WebhookNetworkOptions>>(), sp.GetService<IHostEnvironment>()));
        services.TryAddSingleton<DriftAnalyzer>();

        // Deliveries connect only where the destination policy allows, follow no redirects, read no response body
        // and are not logged by the client factory (its logs would carry the URL).
        services.AddHttpClient<WebhookSender>(client => client.MaxResponseContentBufferSize = WebhookDestinationPolicy.MaxResponseBytes)
            .ConfigurePrimaryHttpMessageHandler(sp => sp.GetRequiredService<WebhookDestinationPolicy>().CreateHandler())
            .RemoveAllLoggers();
        return services;
    }

    private static Func<T, bool> Validates<T>(Action<T> validate) => options =>
    {
        validate(options);
        return true;
    };
}
