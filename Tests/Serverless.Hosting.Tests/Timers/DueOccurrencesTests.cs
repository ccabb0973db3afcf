using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Serverless.Hosting.Configuration;
using Serverless.Hosting.Timers;
using Xunit;

namespace Serverless.Hosting.Tests.Timers;

/// <summary>Schedules evaluated on a tick against persisted state, with a fake clock and blobs in memory.</summary>
public sealed class DueOccurrencesTests
{
    private static readonly DateTimeOffset Start = new(2026, 3, 1, 10, 2, 30, TimeSpan.Zero);
    private static readonly CronSchedule EveryFiveMinutes = CronSchedule.Parse("0 */5 * * * *");
    private readonly InMemoryBlobStore _blobs = new();
    private readonly ManualClock _clock = new(Start);

    [Fact]
    public async Task The_first_evaluation_plans_the_next_occurrence_which_then_runs_once_on_time()
    {
        var occurrences = Host();
        Assert.Null(await occurrences.TryClaimAsync("s", EveryFiveMinutes, default));

        _clock.Now = At(10, 4, 59);
        Assert.Null(await occurrences.TryClaimAsync("s", EveryFiveMinutes, default));

        _clock.Now = At(10, 5, 1);
        var due = await occurrences.TryClaimAsync("s", EveryFiveMinutes, default);
        Assert.NotNull(due);
        Assert.Equal(At(10, 5, 0), due.Occurrence);
        Assert.False(due.IsPastDue);
        Assert.Equal(At(10, 5, 0), due.ToTimerInfo().ScheduleStatus!.Last);
        Assert.Equal(At(10, 10, 0), due.State.Next);
        Assert.Null(await occurrences.TryClaimAsync("s", EveryFiveMinutes, default));
    }

    [Fact]
    public async Task Missed_occurrences_run_once_late_and_the_next_one_is_after_now()
    {
        var occurrences = Host();
        await occurrences.TryClaimAsync("s", EveryFiveMinutes, default);

        _clock.Now = At(10, 31, 0); // 10:05 ... 10:30 passed with no host evaluating
        var due = await occurrences.TryClaimAsync("s", EveryFiveMinutes, default);
        Assert.NotNull(due);
        Assert.Equal(At(10, 5, 0), due.Occurrence);
        Assert.True(due.IsPastDue);
        Assert.True(due.ToTimerInfo().IsPastDue);
        Assert.Equal(At(10, 35, 0), due.State.Next);
        Assert.Null(await occurrences.TryClaimAsync("s", EveryFiveMinutes, default));
    }

    [Fact]
    public async Task A_changed_cron_is_followed_from_now_and_the_old_one_runs_nothing()
    {
        var occurrences = Host();
        await occurrences.TryClaimAsync("s", EveryFiveMinutes, default); // next 10:05 on the old cron
        var hourly = CronSchedule.Parse("0 0 * * * *");

        _clock.Now = At(10, 6, 0); // due on the old cron, not on the new one
        Assert.Null(await occurrences.TryClaimAsync("s", hourly, default));
        _clock.Now = At(10, 59, 59);
        Assert.Null(await occurrences.TryClaimAsync("s", hourly, default));

        _clock.Now = At(11, 0, 0);
        var due = await occurrences.TryClaimAsync("s", hourly, default);
        Assert.Equal(At(11, 0, 0), due?.Occurrence);
        Assert.Equal(At(12, 0, 0), due?.State.Next);
    }

    [Fact]
    public async Task Two_concurrent_evaluations_of_a_due_occurrence_claim_it_once()
    {
        var first = Host();
        var second = Host();
        await first.TryClaimAsync("s", EveryFiveMinutes, default);
        _clock.Now = At(10, 5, 0);
        _blobs.HoldWritesUntil = 2; // both read the same state before either writes

        var claims = await Task.WhenAll(
            Task.Run(() => first.TryClaimAsync("s", EveryFiveMinutes, default)),
            Task.Run(() => second.TryClaimAsync("s", EveryFiveMinutes, default)));

        var claimed = Assert.Single(claims, c => c is not null);
        Assert.Equal(At(10, 5, 0), claimed!.Occurrence);
        Assert.Null(await second.TryClaimAsync("s", EveryFiveMinutes, default));
    }

    [Theory]
    [InlineData(1, "0 */5 * * * *")]
    [InlineData(2, "30 */7 * * * *")]
    [InlineData(3, "0 0 */2 * * *")]
    [InlineData(4, "15 10 * * * *")]
    public async Task Hosts_ticking_at_random_times_run_every_occurrence_exactly_once_in_order(int seed, string cron)
    {
        var schedule = CronSchedule.Parse(cron);
        var random = new Random(seed);
        var hosts = new[] { Host(), Host(), Host() };
        var claimed = new List<DateTimeOffset>();
        await hosts[0].TryClaimAsync("s", schedule, default);
        var firstPlanned = schedule.NextAfter(Start);
        var end = Start.AddHours(12);
        while (_clock.Now < end)
        {
            _clock.Now += TimeSpan.FromMilliseconds(random.Next(1, 10_000)); // ticks at most 10 s apart
            if (await hosts[random.Next(hosts.Length)].TryClaimAsync("s", schedule, default) is { } due)
            {
                Assert.Equal(due.Occurrence, due.State.Last);
                Assert.True(due.Occurrence <= _clock.Now);
                claimed.Add(due.Occurrence);
            }
        }

        var expected = new List<DateTimeOffset>();
        for (var at = firstPlanned; at <= end.AddSeconds(-10); at = schedule.NextAfter(at))
        {
            expected.Add(at);
        }

        Assert.NotEmpty(expected);
        Assert.Equal(expected, claimed.Take(expected.Count));
        Assert.Equal(claimed.Distinct().Count(), claimed.Count);
    }

    private static DateTimeOffset At(int hour, int minute, int second) => new(2026, 3, 1, hour, minute, second, TimeSpan.Zero);

    private DueOccurrences Host() => new(
        new ScheduleStatusStore(_blobs, Options.Create(new FunctionsHostOptions { HostId = "test" })),
        _clock,
        Options.Create(new TimersOptions()),
        NullLogger<DueOccurrences>.Instance);
}
