using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Serverless.Functions.Schedules;

namespace Serverless.Functions.Api;

public static class ScheduledRetrainingServiceCollectionExtensions
{
    /// <summary>Retrains projects on their spec's <c>schedule</c>, evaluated by the <see cref="ScheduledRetrainingTimer"/> function.</summary>
    public static IServiceCollection AddScheduledRetraining(this IServiceCollection services)
    {
        services.AddProjectSchedules();
        services.TryAddSingleton<ScheduledRetraining>();
        return services;
    }
}
