using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Serverless.Hosting;
using Serverless.Hosting.Timers;
using Serverless.Orchestrations.Training;
using Serverless.Registry;

namespace Serverless.Functions.Api;

/// <summary>
/// Retrains each project on its spec's <c>schedule</c> (NCRONTAB with seconds): on every occurrence, a run
/// on the latest valid dataset version with trigger <c>schedule</c>. Schedules are the host's programmatic
/// timer schedules (<c>retrain-{project}</c>), so each occurrence runs once across hosts; they are kept in
/// sync with the project specs by re-reading them every <see cref="ScheduledRetrainingOptions.SyncInterval"/>
/// (a changed schedule is replaced, a removed one stopped). The run id derives from the occurrence, so even
/// a repeated callback starts the run once.
/// </summary>
public sealed partial class ScheduledRetraining(
    ProjectCatalog projects,
    TrainingRuns runs,
    TimerScheduler scheduler,
    IOptions<ScheduledRetrainingOptions> options,
    ILogger<ScheduledRetraining> logger) : BackgroundService
{
    private readonly Dictionary<string, string> _registered = new(StringComparer.Ordinal);

    public static string ScheduleName(string project) => $"retrain-{project}";

    /// <summary>Brings the registered schedules in line with the stored specs.</summary>
    private async Task SyncAsync(CancellationToken cancellationToken)
    {
        var wanted = (await projects.ListAsync(cancellationToken).ConfigureAwait(false))
            .Where(p => !string.IsNullOrWhiteSpace(p.Spec.Schedule))
            .ToDictionary(p => p.Name, p => p.Spec.Schedule!, StringComparer.Ordinal);
        foreach (var (project, text) in _registered.ToList())
        {
            if (!wanted.TryGetValue(project, out var now) || now != text)
            {
                await scheduler.UnregisterAsync(ScheduleName(project)).ConfigureAwait(false);
                _registered.Remove(project);
                LogStopped(logger, project, text);
            }
        }

        foreach (var (project, text) in wanted.Where(w => !_registered.ContainsKey(w.Key)))
        {
            CronSchedule schedule;
            try
            {
                schedule = CronSchedule.Parse(text);
            }
            catch (FormatException e)
            {
                LogInvalidSchedule(logger, project, e.Message);
                continue;
            }

            scheduler.Register(new TimerSchedule(ScheduleName(project), schedule, (info, token) => RetrainAsync(project, text, info, token)));
            _registered[project] = text;
            LogScheduled(logger, project, text);
        }
    }

    /// <summary>One occurrence: a run on the latest valid dataset version (<see cref="TrainingRuns.StartScheduledAsync"/>), unless the project has none.</summary>
    /// <returns>The occurrence's run id (started now or before), or null when the project has no valid dataset version.</returns>
    /// <param name="schedule">The spec's schedule text, quoted in the run's reason.</param>
    public async Task<string?> RetrainAsync(string project, string? schedule, TimerInfo info, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(info);
        var status = info.ScheduleStatus!;
        var occurrence = new DateTimeOffset(DateTime.SpecifyKind(status.Last == default ? status.LastUpdated : status.Last, DateTimeKind.Utc));
        var started = await runs.StartScheduledAsync(project, schedule, occurrence, cancellationToken).ConfigureAwait(false);
        return started.RunId;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.SyncInterval);
        do
        {
            try
            {
                await SyncAsync(stoppingToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                LogSyncFailed(logger, e);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false));
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Project {Project}: retraining on schedule '{Schedule}'")]
    private static partial void LogScheduled(ILogger logger, string project, string schedule);

    [LoggerMessage(Level = LogLevel.Information, Message = "Project {Project}: schedule '{Schedule}' stopped (the spec changed)")]
    private static partial void LogStopped(ILogger logger, string project, string schedule);

    [LoggerMessage(Level = LogLevel.Error, Message = "Project {Project}: the schedule is not used: {Problem}")]
    private static partial void LogInvalidSchedule(ILogger logger, string project, string problem);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Syncing retraining schedules with project specs failed; retrying on the next tick")]
    private static partial void LogSyncFailed(ILogger logger, Exception exception);
}
