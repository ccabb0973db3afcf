using Microsoft.Extensions.DependencyInjection;
using Serverless.Domain.Projects;
using Serverless.Hosting.Timers;
using Serverless.Registry;

namespace Serverless.Functions.Monitoring.Tests;

/// <summary>Per-project monitoring schedules follow the specs: added, replaced on change, removed when dropped.</summary>
public sealed class MonitoringScheduleTests(MonitoringHost host) : IClassFixture<MonitoringHost>
{
    [Fact]
    public async Task Schedules_follow_the_project_specs()
    {
        var projects = host.Services.GetRequiredService<ProjectCatalog>();
        var schedules = host.Services.GetRequiredService<MonitoringSchedules>();
        var scheduler = host.Services.GetRequiredService<TimerScheduler>();
        var now = DateTimeOffset.UtcNow;
        await projects.PutAsync("sched", new ProjectSpec { Label = "y", Monitoring = new MonitoringSpec { Schedule = "0 0 * * * *" } }, "test", now);

        await schedules.ReconcileAsync(CancellationToken.None);
        Assert.Equal("0 0 * * * *", schedules.Registered["sched"]);
        Assert.Contains("monitoring-sched", scheduler.Names);

        await projects.PutAsync("sched", new ProjectSpec { Label = "y", Monitoring = new MonitoringSpec { Schedule = "0 30 * * * *" } }, "test", now);
        await schedules.ReconcileAsync(CancellationToken.None);
        Assert.Equal("0 30 * * * *", schedules.Registered["sched"]);
        Assert.Contains("monitoring-sched", scheduler.Names);

        await projects.PutAsync("other", new ProjectSpec { Label = "y" }, "test", now);
        Assert.False((await Reconciled(schedules)).ContainsKey("other"));
        await projects.PutAsync("sched", new ProjectSpec { Label = "y" }, "test", now);
        await schedules.ReconcileAsync(CancellationToken.None);
        Assert.False(schedules.Registered.ContainsKey("sched"));
        Assert.DoesNotContain("monitoring-sched", scheduler.Names);
    }

    private static async Task<IReadOnlyDictionary<string, string>> Reconciled(MonitoringSchedules schedules)
    {
        await schedules.ReconcileAsync(CancellationToken.None);
        return schedules.Registered;
    }
}
