using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Serverless.Functions.Api;

public static class ScheduledRetrainingServiceCollectionExtensions
{
    /// <summary>Retrains projects on their spec's <c>schedule</c>; settings bound from <paramref name="section"/> (<c>Product:Retraining</c>).</summary>
    public static IServiceCollection AddScheduledRetraining(this IServiceCollection services, IConfiguration section)
    {
        services.AddOptions<ScheduledRetrainingOptions>().Bind(section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<ScheduledRetraining>();
        services.AddHostedService(sp => sp.GetRequiredService<ScheduledRetraining>());
        return services;
    }
}
