using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Serverless.Hosting.Configuration;
using Serverless.Hosting.Timers;

namespace Serverless.Functions.Schedules;

public static class ProjectSchedulesServiceCollectionExtensions
{
    /// <summary>
    /// Adds <see cref="ProjectScheduleClock"/> and the persisted schedule state it claims occurrences in (the same
    /// <see cref="ScheduleStatusStore"/> on both hosts; no <see cref="TimerScheduler"/> needed). Needs storage,
    /// host options (<c>AddFunctionKeys</c>) and the registry registered. Safe to call more than once.
    /// </summary>
    public static IServiceCollection AddProjectSchedules(this IServiceCollection services)
    {
        services.AddOptions<TimersOptions>();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<ScheduleStatusStore>();
        services.TryAddSingleton<DueOccurrences>();
        services.TryAddSingleton<ProjectScheduleClock>();
        return services;
    }
}
