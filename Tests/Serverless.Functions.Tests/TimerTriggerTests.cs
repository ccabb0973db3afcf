using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Serverless.Hosting;
using Serverless.Hosting.Configuration;
using Serverless.Hosting.Timers;
using Serverless.Testing;
using Serverless.Testing.Host;
using Xunit;

namespace Serverless.Functions.Tests;

public sealed class TimerTriggerTests(AzuriteFixture azurite) : IClassFixture<AzuriteFixture>
{
    [Fact]
    public async Task Every_second_schedule_fires_once_per_occurrence_with_two_hosts()
    {
        var log = new InvocationLog();
        var options = Options(log, "* * * * * *");
        await using var a = await FunctionsTestHost.StartAsync(options);
        await using var b = await FunctionsTestHost.StartAsync(options);

        await Task.Delay(TimeSpan.FromSeconds(5));
        var occurrences = log.Of("Tick").Select(e => e.Split('|')[0]).ToList();
        Assert.InRange(occurrences.Count, 3, 7);
        Assert.Equal(occurrences.Count, occurrences.Distinct().Count()); // no occurrence twice
        var times = occurrences.Select(o => DateTimeOffset.Parse(o, System.Globalization.CultureInfo.InvariantCulture)).ToList();
        Assert.All(times, t => Assert.Equal(0, t.Millisecond)); // whole-second occurrences, not wall-clock times
    }

    [Fact]
    public async Task A_missed_occurrence_runs_once_reported_past_due()
    {
        using var spans = new SpanCapture();
        var log = new InvocationLog();
        var options = Options(log, "0 0 0 1 1 *"); // yearly: nothing due during the test but the missed occurrence
        var statuses = new ScheduleStatusStore(azurite.Storage.Blobs, Microsoft.Extensions.Options.Options.Create(new FunctionsHostOptions { HostId = options.HostId }));
        var missed = DateTimeOffset.UtcNow.AddMinutes(-3);
        Assert.True(await statuses.TryWriteAsync("Tick", new TimerScheduleState(missed.AddMinutes(-5), missed, missed.AddMinutes(-5)), null, default));

        await using var host = await FunctionsTestHost.StartAsync(options);
        Assert.True(await Eventually.WaitAsync(() => log.Count("Tick") == 1, TimeSpan.FromSeconds(10)));
        Assert.Equal($"{missed:o}|True", log.Of("Tick").Single());
        await Task.Delay(1500);
        Assert.Equal(1, log.Count("Tick"));
        var (status, _) = (await statuses.ReadAsync("Tick", default))!.Value;
        Assert.Equal(missed, status.Last);
        Assert.True(status.Next > DateTimeOffset.UtcNow.AddDays(1));
        var span = await spans.WaitForAsync(s => s.OperationName == "timer:Tick" && (string?)s.GetTagItem("timer.occurrence") == missed.ToString("o", System.Globalization.CultureInfo.InvariantCulture), "the missed occurrence", TimeSpan.FromSeconds(5));
        Assert.Equal(true, span.GetTagItem("timer.past_due"));
        Assert.Contains(spans.Where(s => s.TraceId == span.TraceId), s => s.ParentSpanId == span.SpanId); // the invocation's own span
    }

    [Fact]
    public async Task Programmatic_schedules_can_be_registered_and_unregistered_at_run_time()
    {
        var log = new InvocationLog();
        await using var host = await FunctionsTestHost.StartAsync(new FunctionsTestHostOptions { StorageConnectionString = azurite.ConnectionString });
        var scheduler = host.Services.GetRequiredService<TimerScheduler>();
        scheduler.Register(new TimerSchedule("project-wine-retrain", CronSchedule.Parse("* * * * * *"), (info, _) =>
        {
            log.Add("wine", info.ScheduleStatus!.Last == default ? "none" : new DateTimeOffset(info.ScheduleStatus.Last, TimeSpan.Zero).ToString("o"));
            return Task.CompletedTask;
        }));
        Assert.Throws<InvalidOperationException>(() => scheduler.Register(new TimerSchedule("project-wine-retrain", CronSchedule.Parse("* * * * * *"), (_, _) => Task.CompletedTask)));

        Assert.True(await Eventually.WaitAsync(() => log.Count("wine") >= 2, TimeSpan.FromSeconds(8)));
        Assert.True(await scheduler.UnregisterAsync("project-wine-retrain"));
        var after = log.Count("wine");
        await Task.Delay(2000);
        Assert.Equal(after, log.Count("wine"));
        Assert.False(await scheduler.UnregisterAsync("project-wine-retrain"));
    }

    private FunctionsTestHostOptions Options(InvocationLog log, string schedule) => new()
    {
        StorageConnectionString = azurite.ConnectionString,
        FunctionClasses = [typeof(Ticker)],
        Settings = new Dictionary<string, string?> { ["TickSchedule"] = schedule },
        ConfigureServices = services => services.AddSingleton(log),
    };
}
