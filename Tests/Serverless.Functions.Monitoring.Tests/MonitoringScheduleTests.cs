using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Serverless.Domain.Projects;
using Serverless.Functions.Schedules;
using Serverless.Hosting.Timers;
using Serverless.Registry;
using Serverless.Testing.Host;

namespace Serverless.Functions.Monitoring.Tests;

/// <summary>
/// Per-project monitoring schedules run through the fixed timer function <c>RunMonitoringSchedules</c>: an occurrence
/// runs the checks once, a changed cron is followed, a dropped schedule runs nothing, concurrent evaluations claim an
/// occurrence once. Occurrences are made due by persisting the state a missed one leaves (the crons are yearly).
/// </summary>
public sealed class MonitoringScheduleTests(MonitoringScheduleTests.ScheduleHost host) : IClassFixture<MonitoringScheduleTests.ScheduleHost>
{
    private const string January = "0 0 0 1 1 *";
    private const string July = "0 0 0 1 7 *";

    public sealed class ScheduleHost : FunctionsHostFixture
    {
        public ScheduleCheckLog Log { get; } = new();

        protected override FunctionsTestHostOptions Configure(FunctionsTestHostOptions options) => options with
        {
            IncludeProduct = true,
            ConfigureLogging = logging => logging.AddProvider(Log).AddFilter<ScheduleCheckLog>(typeof(MonitoringSchedules).FullName, LogLevel.Information),
        };
    }

    [Fact]
    public async Task An_occurrence_runs_the_checks_once_a_changed_cron_is_followed_and_a_dropped_schedule_runs_nothing()
    {
        var projects = host.Services.GetRequiredService<ProjectCatalog>();
        await Put(projects, "sched", January);
        var planned = await WaitForStateAsync("sched", s => s.Next > DateTimeOffset.UtcNow, "the next occurrence");
        Assert.Equal(CronSchedule.Parse(January).NextAfter(planned.LastUpdated), planned.Next);

        var occurrence = await MakeDueAsync(MonitoringSchedules.ScheduleName("sched"), January);
        await WaitForStateAsync("sched", s => s.Last == occurrence, "the occurrence to be claimed");
        await WaitUntilAsync(() => Checks("sched", occurrence) == 1, "the occurrence's checks");

        await Put(projects, "sched", July);
        var replanned = await WaitForStateAsync("sched", s => s.Next.Month == 7, "the next occurrence on the changed cron");
        Assert.Equal(CronSchedule.Parse(July).NextAfter(replanned.LastUpdated), replanned.Next);

        // Dropped: its missed occurrence does not run, while a control project's does (so the timer did evaluate).
        await Put(projects, "sched", null);
        await Put(projects, "control", January);
        await WaitForStateAsync("control", s => s.Next > DateTimeOffset.UtcNow, "the control's next occurrence");
        var dropped = await MakeDueAsync(MonitoringSchedules.ScheduleName("sched"), July);
        var control = await MakeDueAsync(MonitoringSchedules.ScheduleName("control"), January);
        await WaitUntilAsync(() => Checks("control", control) == 1, "the control's checks");
        Assert.Equal(dropped, (await WaitForStateAsync("sched", _ => true, "the dropped schedule's state")).Next);
        Assert.Equal(0, Checks("sched", dropped));
        Assert.Equal(1, Checks("sched", occurrence));
    }

    [Fact]
    public async Task Concurrent_evaluations_of_a_due_occurrence_claim_it_once()
    {
        // A kind the host's timer functions do not evaluate, so only these calls compete, on the same storage.
        const string kind = "race";
        var clock = host.Services.GetRequiredService<ProjectScheduleClock>();
        await Put(host.Services.GetRequiredService<ProjectCatalog>(), "racer", January);
        var runs = 0;
        Task Evaluate() => clock.RunDueAsync(kind, spec => spec.Monitoring.Schedule, (_, _) => Task.FromResult(Interlocked.Increment(ref runs)), CancellationToken.None);
        await Evaluate(); // plans the next occurrence
        Assert.Equal(0, runs);

        var occurrence = await MakeDueAsync(ProjectScheduleClock.ScheduleName(kind, "racer"), January);
        var evaluations = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(() => clock.RunDueAsync(
            kind, spec => spec.Monitoring.Schedule, (_, _) => Task.FromResult(Interlocked.Increment(ref runs)), CancellationToken.None))));

        Assert.Equal(1, runs);
        var claimed = Assert.Single(evaluations.SelectMany(e => e));
        Assert.Equal(("racer", occurrence), (claimed.Project, claimed.Due.Occurrence));
        await Evaluate();
        Assert.Equal(1, runs);
    }

    private static Task Put(ProjectCatalog projects, string project, string? cron) =>
        projects.PutAsync(project, new ProjectSpec { Label = "y", Monitoring = new MonitoringSpec { Schedule = cron } }, "test", DateTimeOffset.UtcNow);

    private int Checks(string project, DateTimeOffset occurrence) =>
        host.Log.Checks.Count(c => c.StartsWith($"Project {project}: scheduled monitoring of occurrence {occurrence:o} ", StringComparison.Ordinal));

    private static Task WaitUntilAsync(Func<bool> condition, string what) =>
        MonitoringHost.WaitUntilAsync(() => Task.FromResult(condition()), what, TimeSpan.FromSeconds(60));

    private async Task<TimerScheduleState> WaitForStateAsync(string project, Func<TimerScheduleState, bool> condition, string what)
    {
        var statuses = host.Services.GetRequiredService<ScheduleStatusStore>();
        TimerScheduleState? state = null;
        await MonitoringHost.WaitUntilAsync(async () =>
        {
            state = (await statuses.ReadAsync(MonitoringSchedules.ScheduleName(project), CancellationToken.None))?.Status;
            return state is not null && condition(state);
        }, what, TimeSpan.FromSeconds(60));
        return state!;
    }

    private Task<DateTimeOffset> MakeDueAsync(string name, string cron) =>
        MissedOccurrences.MakeDueAsync(host.Services.GetRequiredService<ScheduleStatusStore>(), name, cron);
}
