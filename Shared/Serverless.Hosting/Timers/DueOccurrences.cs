using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Serverless.Hosting.Configuration;

namespace Serverless.Hosting.Timers;

/// <summary>
/// Schedules evaluated on demand (by a fixed timer function) rather than run by a host's own timer: the same on every
/// host. The persisted <see cref="TimerScheduleState"/> (<see cref="ScheduleStatusStore"/>) is the truth; a due
/// occurrence is claimed by an ETag-guarded write before it runs, so of hosts evaluating at once only one gets it.
/// A missed occurrence runs once, late (past due). When the cron changed since the state was written, the state
/// restarts from now on the new cron (nothing runs for the old one).
/// </summary>
public sealed partial class DueOccurrences(ScheduleStatusStore statuses, TimeProvider time, IOptions<TimersOptions> options, ILogger<DueOccurrences> logger)
{
    /// <summary>Claims the occurrence of <paramref name="schedule"/> that is due now, for this caller alone.</summary>
    /// <param name="name">The schedule's name in shared storage, e.g. <c>retrain-{project}</c>.</param>
    /// <returns>The claimed occurrence, or <c>null</c> when none is due or another caller claimed it first.</returns>
    public async Task<DueOccurrence?> TryClaimAsync(string name, CronSchedule schedule, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(schedule);
        var now = time.GetUtcNow();
        var current = await statuses.ReadAsync(name, cancellationToken).ConfigureAwait(false);
        var step = Decide(current?.Status, schedule, now);
        if (step is null || !await statuses.TryWriteAsync(name, step.State, current?.ETag, cancellationToken).ConfigureAwait(false) || !step.Claims)
        {
            return null;
        }

        var occurrence = step.State.Last!.Value;
        var pastDue = now - occurrence > options.Value.PastDueTolerance;
        if (pastDue)
        {
            LogPastDue(logger, name, occurrence);
        }

        return new DueOccurrence(name, occurrence, pastDue, step.State);
    }

    /// <summary>The state to write at <paramref name="now"/>, or <c>null</c> when nothing is to be written.</summary>
    internal static ScheduleStep? Decide(TimerScheduleState? state, CronSchedule schedule, DateTimeOffset now)
    {
        // A state whose Next is not what this cron gives after LastUpdated was written for another cron (or is new).
        if (state is null || state.Next != schedule.NextAfter(state.LastUpdated))
        {
            return new ScheduleStep(new TimerScheduleState(state?.Last, schedule.NextAfter(now), now), Claims: false);
        }

        return state.Next > now ? null : new ScheduleStep(new TimerScheduleState(state.Next, schedule.NextAfter(now), now), Claims: true);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Schedule '{Schedule}' is past due: its occurrence at {Due:o} runs late")]
    private static partial void LogPastDue(ILogger logger, string schedule, DateTimeOffset due);

    /// <summary>A state to write; writing it claims the occurrence in its <c>Last</c> when <paramref name="Claims"/>.</summary>
    internal sealed record ScheduleStep(TimerScheduleState State, bool Claims);
}
