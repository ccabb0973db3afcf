using Serverless.Hosting;

namespace Serverless.Functions.Monitoring;

/// <summary>The monitoring loop's timer functions.</summary>
public sealed class MonitoringTimers(MonitoringSchedules schedules, RunEventNotifier runs, Housekeeping housekeeping)
{
    /// <summary>Every minute (and at start): per-project monitoring schedules follow the specs.</summary>
    [Function("ReconcileMonitoringSchedules")]
    public Task ReconcileAsync([TimerTrigger("0 * * * * *", RunOnStartup = true)] TimerInfo timer, FunctionContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return schedules.ReconcileAsync(context.CancellationToken);
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
