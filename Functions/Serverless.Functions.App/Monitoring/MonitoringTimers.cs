using Serverless.Hosting;

namespace Serverless.Functions.Monitoring;

/// <summary>The monitoring loop's timer functions.</summary>
public sealed class MonitoringTimers(MonitoringSchedules schedules, RunEventNotifier runs, Housekeeping housekeeping)
{
    /// <summary>Every 10 seconds (and at start): the due occurrences of the projects' <c>monitoring.schedule</c> run their checks (each once across hosts).</summary>
    [Function("RunMonitoringSchedules")]
    public Task RunSchedulesAsync([TimerTrigger("*/10 * * * * *", RunOnStartup = true)] TimerInfo timer, FunctionContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return schedules.RunDueAsync(context.CancellationToken);
    }

    /// <summary>Every few seconds: finished training runs become webhooks.</summary>
    [Function("AnnounceFinishedRuns")]
    public Task AnnounceAsync([TimerTrigger("*/5 * * * * *")] TimerInfo timer, FunctionContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return runs.NotifyFinishedRunsAsync(context.CancellationToken);
    }

    /// <summary>Hourly: retention of prediction logs, feedback, orchestration history and orphaned run artifacts.</summary>
    [Function("MonitoringHousekeeping")]
    public Task HousekeepingAsync([TimerTrigger("0 17 * * * *")] TimerInfo timer, FunctionContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return housekeeping.RunAsync(context.CancellationToken);
    }
}
