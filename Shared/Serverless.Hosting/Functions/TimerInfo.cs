namespace Serverless.Hosting;

/// <summary>What a timer invocation is told about its schedule.</summary>
/// <param name="ScheduleStatus">The persisted status: <c>Last</c> is this occurrence, <c>Next</c> the one after it.</param>
/// <param name="IsPastDue">The occurrence is invoked late (missed while no host ran, for example).</param>
public sealed record TimerInfo(ScheduleStatus ScheduleStatus, bool IsPastDue);

/// <summary>A schedule's persisted state, shared by all hosts.</summary>
public sealed record ScheduleStatus(DateTimeOffset? Last, DateTimeOffset Next, DateTimeOffset LastUpdated);
