namespace Serverless.Hosting.Timers;

/// <summary>A schedule's persisted state, shared by all hosts: <c>Last</c> is the occurrence last claimed, <c>Next</c> the one after it.</summary>
public sealed record TimerScheduleState(DateTimeOffset? Last, DateTimeOffset Next, DateTimeOffset LastUpdated)
{
    /// <summary>The worker SDK's <see cref="TimerInfo"/> for an invocation of this occurrence.</summary>
    public TimerInfo ToTimerInfo(bool isPastDue) => new()
    {
        IsPastDue = isPastDue,
        ScheduleStatus = new ScheduleStatus
        {
            Last = Last?.UtcDateTime ?? default,
            Next = Next.UtcDateTime,
            LastUpdated = LastUpdated.UtcDateTime,
        },
    };
}
