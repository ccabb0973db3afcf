using Serverless.Hosting.Timers;
using Xunit;

namespace Serverless.Hosting.Tests;

public sealed class CronScheduleTests
{
    [Fact]
    public void Six_fields_include_seconds_and_five_fields_are_standard_cron_in_utc()
    {
        var at = new DateTimeOffset(2026, 3, 1, 10, 4, 59, 500, TimeSpan.Zero);
        Assert.Equal(new DateTimeOffset(2026, 3, 1, 10, 5, 0, TimeSpan.Zero), CronSchedule.Parse("0 */5 * * * *").NextAfter(at));
        Assert.Equal(new DateTimeOffset(2026, 3, 1, 10, 5, 0, TimeSpan.Zero), CronSchedule.Parse("*/5 * * * *").NextAfter(at));
        Assert.Equal(new DateTimeOffset(2026, 3, 1, 10, 5, 0, TimeSpan.Zero), CronSchedule.Parse("* * * * * *").NextAfter(at));
        var local = new DateTimeOffset(2026, 3, 1, 11, 0, 0, TimeSpan.FromHours(2)); // 09:00 UTC
        Assert.Equal(new DateTimeOffset(2026, 3, 1, 10, 0, 0, TimeSpan.Zero), CronSchedule.Parse("0 0 10 * * *").NextAfter(local));
    }

    [Fact]
    public void Invalid_expressions_name_the_schedule()
    {
        var error = Assert.Throws<FormatException>(() => CronSchedule.Parse("0 61 * * * *"));
        Assert.Contains("0 61 * * * *", error.Message, StringComparison.Ordinal);
    }
}
