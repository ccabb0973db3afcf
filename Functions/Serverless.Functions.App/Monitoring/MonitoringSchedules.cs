using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Serverless.Functions.Schedules;

namespace Serverless.Functions.Monitoring;

/// <summary>
/// Each project's spec <c>monitoring.schedule</c>: <see cref="RunDueAsync"/>, called by a fixed timer function on either
/// host, evaluates every project's current cron against its persisted state <c>monitoring-{project}</c>
/// (<see cref="ProjectScheduleClock"/>) and runs the drift and performance checks of each occurrence due, once across
/// hosts. A changed cron is followed from now on; a project that drops its schedule is not checked.
/// </summary>
public sealed partial class MonitoringSchedules(ProjectScheduleClock clock, IServiceProvider services, ILogger<MonitoringSchedules> logger)
{
    public const string Kind = "monitoring";

    public static string ScheduleName(string project) => ProjectScheduleClock.ScheduleName(Kind, project);

    /// <summary>Runs the checks of every project whose monitoring schedule has an occurrence due now and not yet claimed by any host.</summary>
    /// <returns>The projects checked here.</returns>
    public async Task<IReadOnlyList<string>> RunDueAsync(CancellationToken cancellationToken)
    {
        var ran = await clock.RunDueAsync(Kind, spec => spec.Monitoring.Schedule, CheckAsync, cancellationToken).ConfigureAwait(false);
        return ran.Select(o => o.Project).ToList();
    }

    private async Task CheckAsync(ProjectOccurrence due, CancellationToken cancellationToken)
    {
        var correlationId = Guid.NewGuid().ToString("N");
        Log.Checking(logger, due.Project, due.Due.Occurrence, correlationId);
        var drift = services.GetRequiredService<DriftMonitor>();
        var performance = services.GetRequiredService<PerformanceMonitor>();
        await drift.CheckAsync(due.Project, correlationId, cancellationToken).ConfigureAwait(false);
        await performance.CheckAsync(due.Project, correlationId, raiseAlerts: true, cancellationToken).ConfigureAwait(false);
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 6301, Level = LogLevel.Information, Message = "Project {Project}: scheduled monitoring of occurrence {Occurrence:o} (correlation {CorrelationId})")]
        public static partial void Checking(ILogger logger, string project, DateTimeOffset occurrence, string correlationId);
    }
}
