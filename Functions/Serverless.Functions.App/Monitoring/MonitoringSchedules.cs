using System.Collections.Concurrent;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Serverless.Hosting;
using Serverless.Hosting.Timers;
using Serverless.Registry;

namespace Serverless.Functions.Monitoring;

/// <summary>
/// Keeps one timer schedule per project in step with its spec's <c>monitoring.schedule</c>: registered, replaced when
/// the cron text changes, removed when the project drops it. <see cref="ReconcileAsync"/> runs every minute (and at start).
/// Each occurrence runs the drift and the performance checks of the project's model.
/// </summary>
public sealed partial class MonitoringSchedules(
    ProjectCatalog projects,
    TimerScheduler scheduler,
    IServiceProvider services,
    ILogger<MonitoringSchedules> logger)
{
    private const string NamePrefix = "monitoring-";
    private readonly ConcurrentDictionary<string, string> _registered = new(StringComparer.Ordinal);

    /// <summary>The project → cron text of the schedules currently registered.</summary>
    public IReadOnlyDictionary<string, string> Registered => _registered;

    public async Task ReconcileAsync(CancellationToken cancellationToken)
    {
        var wanted = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var project in await projects.ListAsync(cancellationToken).ConfigureAwait(false))
        {
            if (project.Spec.Monitoring.Schedule is { Length: > 0 } cron)
            {
                wanted[project.Name] = cron;
            }
        }

        foreach (var (project, cron) in _registered)
        {
            if (!wanted.TryGetValue(project, out var next) || next != cron)
            {
                await scheduler.UnregisterAsync(NamePrefix + project).ConfigureAwait(false);
                _registered.TryRemove(project, out _);
            }
        }

        foreach (var (project, cron) in wanted)
        {
            if (_registered.ContainsKey(project))
            {
                continue;
            }

            CronSchedule schedule;
            try
            {
                schedule = CronSchedule.Parse(cron);
            }
            catch (FormatException e)
            {
                Log.BadSchedule(logger, project, cron, e.Message);
                continue;
            }

            scheduler.Register(new TimerSchedule(NamePrefix + project, schedule, (_, ct) => CheckAsync(project, ct)));
            _registered[project] = cron;
            Log.Scheduled(logger, project, cron);
        }
    }

    private async Task CheckAsync(string project, CancellationToken cancellationToken)
    {
        var correlationId = Guid.NewGuid().ToString("N");
        var drift = services.GetRequiredService<DriftMonitor>();
        var performance = services.GetRequiredService<PerformanceMonitor>();
        await drift.CheckAsync(project, correlationId, cancellationToken).ConfigureAwait(false);
        await performance.CheckAsync(project, correlationId, raiseAlerts: true, cancellationToken).ConfigureAwait(false);
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 6301, Level = LogLevel.Information, Message = "Monitoring of project {Project} scheduled at '{Cron}'")]
        public static partial void Scheduled(ILogger logger, string project, string cron);

        [LoggerMessage(EventId = 6302, Level = LogLevel.Warning, Message = "Project {Project} has an invalid monitoring.schedule '{Cron}': {Problem}")]
        public static partial void BadSchedule(ILogger logger, string project, string cron, string problem);
    }
}
