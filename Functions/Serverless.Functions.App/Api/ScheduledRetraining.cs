using Microsoft.Extensions.Logging;
using Serverless.Functions.Schedules;
using Serverless.Orchestrations.Training;

namespace Serverless.Functions.Api;

/// <summary>
/// Retrains each project on its spec's <c>schedule</c> (NCRONTAB with seconds): on every occurrence, a run on the
/// latest valid dataset version with trigger <c>schedule</c>. <see cref="RunDueAsync"/> is called by a fixed timer
/// function on either host and evaluates each project's current schedule against its persisted state
/// <c>retrain-{project}</c> (<see cref="ProjectScheduleClock"/>), so each occurrence is claimed once across hosts,
/// a changed schedule is followed and a removed one runs nothing. The run id derives from the occurrence, so even a
/// repeated occurrence starts the run once.
/// </summary>
public sealed partial class ScheduledRetraining(ProjectScheduleClock clock, TrainingRuns runs, ILogger<ScheduledRetraining> logger)
{
    public const string Kind = "retrain";

    public static string ScheduleName(string project) => ProjectScheduleClock.ScheduleName(Kind, project);

    /// <summary>Starts the run of every project whose schedule has an occurrence due now and not yet claimed by any host.</summary>
    /// <returns>The run ids of the occurrences claimed here (started now or before).</returns>
    public async Task<IReadOnlyList<string>> RunDueAsync(CancellationToken cancellationToken)
    {
        var started = new List<string>();
        await clock.RunDueAsync(Kind, spec => spec.Schedule, async (due, token) =>
        {
            if (await RetrainAsync(due.Project, due.Cron, due.Due.ToTimerInfo(), token).ConfigureAwait(false) is { } runId)
            {
                started.Add(runId);
                LogStarted(logger, due.Project, due.Due.Occurrence, runId);
            }
            else
            {
                LogNoValidVersion(logger, due.Project, due.Due.Occurrence);
            }
        }, cancellationToken).ConfigureAwait(false);
        return started;
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

    [LoggerMessage(Level = LogLevel.Information, Message = "Project {Project}: scheduled retraining of occurrence {Occurrence:o} is run {RunId}")]
    private static partial void LogStarted(ILogger logger, string project, DateTimeOffset occurrence, string runId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Project {Project}: occurrence {Occurrence:o} of the schedule did not retrain: no valid dataset version")]
    private static partial void LogNoValidVersion(ILogger logger, string project, DateTimeOffset occurrence);
}
