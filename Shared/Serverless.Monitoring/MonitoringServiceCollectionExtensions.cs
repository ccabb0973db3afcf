using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
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
    /// and <c>Monitoring:Webhooks</c>, each validated at first use.
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
        services.TryAddSingleton<DriftAnalyzer>();
        services.AddHttpClient<WebhookSender>();
        return services;
    }

    private static Func<T, bool> Validates<T>(Action<T> validate) => options =>
    {
        validate(options);
        return true;
    };
}
