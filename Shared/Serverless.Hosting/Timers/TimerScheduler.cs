using System.Collections.Concurrent;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Serverless.Hosting.Background;
using Serverless.Hosting.Configuration;
using Serverless.Hosting.Health;
using Serverless.Hosting.Telemetry;
using Serverless.Storage;

namespace Serverless.Hosting.Timers;

/// <summary>
/// Runs named cron schedules once per occurrence across hosts. Per schedule, one host holds a singleton lease;
/// the persisted <see cref="TimerScheduleState"/> is the source of truth: an occurrence is claimed by an
/// ETag-guarded update of the status before the callback runs, so even a lease hand-over cannot fire it twice.
/// A missed occurrence (status <c>Next</c> in the past) runs once, reported past due. Schedules can be
/// registered and unregistered at any time (timer functions are registered at start).
/// </summary>
public sealed partial class TimerScheduler(
    ScheduleStatusStore statuses,
    ILeaseStore leases,
    HostInstance instance,
    WorkerHealth health,
    IOptions<TimersOptions> options,
    IOptions<FunctionsHostOptions> host,
    TimeProvider time,
    ILogger<TimerScheduler> logger) : IHostedService, IAsyncDisposable
{
    private readonly ConcurrentDictionary<string, RunningSchedule> _schedules = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _invocations = new();
    private volatile bool _started;

    /// <summary>Names of the registered schedules.</summary>
    public IReadOnlyCollection<string> Names => _schedules.Keys.ToList();

    /// <summary>Adds a schedule; it starts now if the host runs, else when it starts.</summary>
    /// <exception cref="InvalidOperationException">A schedule with this name is registered.</exception>
    public void Register(TimerSchedule schedule)
    {
        ArgumentNullException.ThrowIfNull(schedule);
        var running = new RunningSchedule(schedule);
        if (!_schedules.TryAdd(schedule.Name, running))
        {
            throw new InvalidOperationException($"A timer schedule named '{schedule.Name}' is already registered.");
        }

        if (_started)
        {
            running.Start(RunAsync);
        }
    }

    /// <summary>Stops and removes a schedule (its persisted status stays); waits for a running callback.</summary>
    /// <returns><c>false</c> when no schedule has this name.</returns>
    public async Task<bool> UnregisterAsync(string name)
    {
        if (!_schedules.TryGetValue(name, out var running))
        {
            return false;
        }

        // Listed until its callback has ended, so Names never omits a schedule that may still fire.
        await running.StopAsync().ConfigureAwait(false);
        _schedules.TryRemove(KeyValuePair.Create(name, running));
        health.Remove(WorkerName(name));
        return true;
    }

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _started = true;
        foreach (var running in _schedules.Values)
        {
            running.Start(RunAsync);
        }

        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        _started = false;
        var stopping = _schedules.Values.Select(s => s.StopAsync()).ToArray();
        var all = Task.WhenAll(stopping);
        try
        {
            await all.WaitAsync(host.Value.DrainTimeout, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is TimeoutException or OperationCanceledException)
        {
            await _invocations.CancelAsync().ConfigureAwait(false);
            await Task.WhenAny(all, Task.Delay(TimeSpan.FromSeconds(10), CancellationToken.None)).ConfigureAwait(false);
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var running in _schedules.Values)
        {
            await running.StopAsync().ConfigureAwait(false);
        }

        _invocations.Dispose();
    }

    private static string WorkerName(string schedule) => "timer:" + schedule;

    private async Task RunAsync(TimerSchedule schedule, CancellationToken stopping)
    {
        var worker = WorkerName(schedule.Name);
        var lockName = statuses.LockName(schedule.Name);
        var leaseDuration = options.Value.LeaseDuration;
        var renewEvery = leaseDuration / 3;
        var holding = false;
        var lastRenewal = DateTimeOffset.MinValue;
        var ranOnStartup = !schedule.RunOnStartup;
        var backoff = Backoff.ForStorage();
        health.Healthy(worker);
        try
        {
            while (!stopping.IsCancellationRequested)
            {
                try
                {
                    var now = time.GetUtcNow();
                    if (!holding || now - lastRenewal >= renewEvery)
                    {
                        holding = holding
                            ? await leases.RenewAsync(HostStorageNames.HostsContainer, lockName, instance.Id, stopping).ConfigureAwait(false)
                            : await leases.TryAcquireAsync(HostStorageNames.HostsContainer, lockName, instance.Id, leaseDuration, stopping).ConfigureAwait(false);
                        lastRenewal = now;
                        if (!holding)
                        {
                            health.Healthy(worker);
                            await Task.Delay(TimeSpan.FromSeconds(Math.Min(2, renewEvery.TotalSeconds)), time, stopping).ConfigureAwait(false);
                            continue;
                        }
                    }

                    var wait = await StepAsync(schedule, ranOnStartup, stopping).ConfigureAwait(false);
                    ranOnStartup = true;
                    backoff.Reset();
                    health.Healthy(worker);
                    if (wait > TimeSpan.Zero)
                    {
                        var untilRenewal = renewEvery - (time.GetUtcNow() - lastRenewal);
                        await Task.Delay(wait < untilRenewal ? wait : untilRenewal > TimeSpan.Zero ? untilRenewal : TimeSpan.Zero, time, stopping).ConfigureAwait(false);
                    }
                }
                catch (OperationCanceledException) when (stopping.IsCancellationRequested)
                {
                    break;
                }
                catch (Exception e)
                {
                    health.Faulted(worker, e);
                    LogLoopFailed(logger, e, schedule.Name);
                    holding = false;
                    try
                    {
                        await Task.Delay(backoff.Next(), time, stopping).ConfigureAwait(false);
                    }
                    catch (OperationCanceledException)
                    {
                        break;
                    }
                }
            }
        }
        finally
        {
            if (holding)
            {
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
                try
                {
                    await leases.ReleaseAsync(HostStorageNames.HostsContainer, lockName, instance.Id, timeout.Token).ConfigureAwait(false);
                }
                catch (Exception e) when (e is not OutOfMemoryException)
                {
                    LogLoopFailed(logger, e, schedule.Name); // the lease expires by itself
                }
            }

            health.Stopped(worker);
        }
    }

    /// <summary>One step as the lease holder: create the status, run on startup, or claim and run a due occurrence.</summary>
    /// <returns>How long to wait before the next step.</returns>
    private async Task<TimeSpan> StepAsync(TimerSchedule schedule, bool ranOnStartup, CancellationToken stopping)
    {
        var now = time.GetUtcNow();
        var current = await statuses.ReadAsync(schedule.Name, stopping).ConfigureAwait(false);
        if (current is null)
        {
            var initial = new TimerScheduleState(null, schedule.Schedule.NextAfter(now), now);
            await statuses.TryWriteAsync(schedule.Name, initial, null, stopping).ConfigureAwait(false);
            return TimeSpan.Zero;
        }

        var (status, etag) = current.Value;
        if (!ranOnStartup)
        {
            await InvokeAsync(schedule, status.ToTimerInfo(isPastDue: false)).ConfigureAwait(false);
            return TimeSpan.Zero;
        }

        if (status.Next > now)
        {
            return status.Next - now;
        }

        var claimed = new TimerScheduleState(status.Next, schedule.Schedule.NextAfter(now), now);
        if (!await statuses.TryWriteAsync(schedule.Name, claimed, etag, stopping).ConfigureAwait(false))
        {
            return TimeSpan.Zero; // another host claimed it: re-read
        }

        var pastDue = now - status.Next > options.Value.PastDueTolerance;
        if (pastDue)
        {
            LogPastDue(logger, schedule.Name, status.Next);
        }

        await InvokeAsync(schedule, claimed.ToTimerInfo(pastDue)).ConfigureAwait(false);
        return TimeSpan.Zero;
    }

    private async Task InvokeAsync(TimerSchedule schedule, TimerInfo info)
    {
        using var span = TriggerSpans.StartTimer(schedule.Name, info);
        try
        {
            await schedule.Callback(info, _invocations.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException || !_invocations.IsCancellationRequested)
        {
            TriggerSpans.Failed(span, e);
            LogCallbackFailed(logger, e, schedule.Name);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Timer '{Schedule}' loop failed (storage unavailable?); retrying with backoff")]
    private static partial void LogLoopFailed(ILogger logger, Exception exception, string schedule);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Timer '{Schedule}' is past due: its occurrence at {Due:o} was missed")]
    private static partial void LogPastDue(ILogger logger, string schedule, DateTimeOffset due);

    [LoggerMessage(Level = LogLevel.Error, Message = "Timer '{Schedule}' callback failed")]
    private static partial void LogCallbackFailed(ILogger logger, Exception exception, string schedule);

    /// <summary>A registered schedule and its loop.</summary>
    private sealed class RunningSchedule(TimerSchedule schedule)
    {
        private readonly Lock _gate = new();
        private CancellationTokenSource? _stopping;
        private Task _loop = Task.CompletedTask;

        public void Start(Func<TimerSchedule, CancellationToken, Task> run)
        {
            lock (_gate)
            {
                if (_stopping is not null)
                {
                    return;
                }

                _stopping = new CancellationTokenSource();
                var token = _stopping.Token;
                _loop = Task.Run(() => run(schedule, token), CancellationToken.None);
            }
        }

        public async Task StopAsync()
        {
            CancellationTokenSource? stopping;
            Task loop;
            lock (_gate)
            {
                stopping = _stopping;
                loop = _loop;
                _stopping = null;
            }

            if (stopping is null)
            {
                return;
            }

            await stopping.CancelAsync().ConfigureAwait(false);
            await loop.ConfigureAwait(false);
            stopping.Dispose();
        }
    }
}
