namespace Serverless.Hosting.Timers;

/// <summary>An occurrence claimed by <see cref="DueOccurrences.TryClaimAsync"/>.</summary>
public sealed record DueOccurrence(string Name, DateTimeOffset Occurrence, bool IsPastDue, TimerScheduleState State)
{
    /// <summary>The worker SDK's <see cref="TimerInfo"/> for this occurrence.</summary>
    public TimerInfo ToTimerInfo() => State.ToTimerInfo(IsPastDue);
}
