using Serverless.Hosting.Timers;
using Xunit;

namespace Serverless.Testing.Host;

/// <summary>Schedule state as hosts leave it when none ran at an occurrence: what schedule tests use to make one due now.</summary>
public static class MissedOccurrences
{
    /// <summary>Persists the state an occurrence missed by every host leaves: planned before the cron's last occurrence, so past due now.</summary>
    /// <returns>The missed occurrence.</returns>
    public static async Task<DateTimeOffset> MakeDueAsync(ScheduleStatusStore statuses, string name, string cron)
    {
        ArgumentNullException.ThrowIfNull(statuses);
        var current = await statuses.ReadAsync(name, CancellationToken.None).ConfigureAwait(false);
        var schedule = CronSchedule.Parse(cron);
        var planned = DateTimeOffset.UtcNow.AddDays(-1);
        while (schedule.NextAfter(planned) > DateTimeOffset.UtcNow.AddMinutes(-1))
        {
            planned = planned.AddDays(-30);
        }

        var missed = schedule.NextAfter(planned);
        Assert.True(await statuses.TryWriteAsync(name, new TimerScheduleState(current?.Status.Last, missed, planned), current?.ETag, CancellationToken.None).ConfigureAwait(false));
        return missed;
    }
}
