using DurableTask.Core.Exceptions;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Serverless.Hosting;
using Serverless.Hosting.Timers;
using Serverless.Orchestrations;
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
    DatasetCatalog datasets,
    DurableTaskClient durable,
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

    /// <summary>One occurrence: a run on the latest valid dataset version, unless the project has none.</summary>
    /// <param name="schedule">The spec's schedule text, quoted in the run's reason.</param>
    public async Task<string?> RetrainAsync(string project, string? schedule, TimerInfo info, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(info);
        var version = await datasets.GetLatestValidAsync(project, cancellationToken).ConfigureAwait(false);
        if (version is null)
        {
            LogNothingToTrain(logger, project);
            return null;
        }

        var status = info.ScheduleStatus!;
        var occurrence = new DateTimeOffset(DateTime.SpecifyKind(status.Last == default ? status.LastUpdated : status.Last, DateTimeKind.Utc));
        var runId = TrainingRunIds.ForVersion(project, version.Version, RunTriggers.Schedule, occurrence);
        try
        {
            await durable.ScheduleNewOrchestrationInstanceAsync(TrainingPipeline.Name, new TrainingRunRequest
            {
                Project = project,
                DatasetVersion = version.Version,
                Trigger = RunTriggers.Schedule,
                RequestedBy = "schedule",
                Reason = $"schedule '{schedule}' occurrence {occurrence:O} on the latest valid dataset version {version.Version}",
                CorrelationId = runId,
            }, SingleInstance.Options(runId), cancellationToken).ConfigureAwait(false);
            LogRetrainStarted(logger, runId, project, version.Version, occurrence);
        }
        catch (OrchestrationAlreadyExistsException)
        {
            LogAlreadyStarted(logger, runId);
        }

        return runId;
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

    [LoggerMessage(Level = LogLevel.Information, Message = "Project {Project}: scheduled retraining skipped, no valid dataset version yet")]
    private static partial void LogNothingToTrain(ILogger logger, string project);

    [LoggerMessage(Level = LogLevel.Information, Message = "Started scheduled run {RunId} of {Project} on dataset version {Version} (occurrence {Occurrence})")]
    private static partial void LogRetrainStarted(ILogger logger, string runId, string project, int version, DateTimeOffset occurrence);

    [LoggerMessage(Level = LogLevel.Information, Message = "Scheduled run {RunId} already exists; not starting it again")]
    private static partial void LogAlreadyStarted(ILogger logger, string runId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Syncing retraining schedules with project specs failed; retrying on the next tick")]
    private static partial void LogSyncFailed(ILogger logger, Exception exception);
}
