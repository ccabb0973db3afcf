using Microsoft.Extensions.DependencyInjection;
using Serverless.Hosting.Timers;
using Serverless.Testing;
using Serverless.Testing.Host;
using Xunit;

namespace Serverless.Functions.Api.Tests;

/// <summary>
/// The project spec's <c>schedule</c> retrains on the latest valid dataset version, through the fixed timer function
/// <c>RetrainOnSchedule</c>: an occurrence runs once, a changed schedule is followed, a removed one runs nothing.
/// Occurrences are made due by persisting the state a missed occurrence leaves; the schedules are yearly, so none comes by itself.
/// </summary>
public sealed class ScheduledRetrainingTests(ScheduledRetrainingTests.ProductHost host) : IClassFixture<ScheduledRetrainingTests.ProductHost>
{
    public sealed class ProductHost : FunctionsHostFixture
    {
        protected override FunctionsTestHostOptions Configure(FunctionsTestHostOptions options) => options with { IncludeProduct = true };
    }

    private const string Spec = """{ "label": "cultivar", "trainers": ["lightgbm"], "gates": { "mustBeatProductionBy": null } }""";
    private readonly ProductUser _user = new(host);

    [Fact]
    public async Task A_schedule_retrains_on_its_occurrence_follows_a_changed_cron_and_stops_when_removed()
    {
        const string project = "nightly";
        await _user.UploadSpecAsync(project, Spec);
        await _user.UploadAsync(project, "wine.csv", await File.ReadAllBytesAsync(SharedData.PathOf("wine.csv")));
        var upload = Assert.Single(await _user.WaitForFinishedRunsAsync(project, 1));
        Assert.True(upload.GetProperty("status").GetString() == "Promoted", $"The upload's run did not promote: {upload}");
        // An invalid later version must not be what the schedule trains on.
        await _user.UploadAsync(project, "broken.csv", "alcohol,cultivar\n"u8.ToArray());
        await _user.WaitForFinishedRunsAsync(project, 2);

        // A schedule firing more often than every 5 minutes is refused, with the field named (issue 14 item 8).
        using (var tooOften = await _user.Admin.PutAsync($"api/projects/{project}", new StringContent(
            WithSchedule("*/4 * * * * *"), System.Text.Encoding.UTF8, "application/json")))
        {
            Assert.Equal(System.Net.HttpStatusCode.BadRequest, tooOften.StatusCode);
            var error = System.Text.Json.JsonDocument.Parse(await tooOften.Content.ReadAsStringAsync()).RootElement.GetProperty("error").GetString();
            Assert.Contains("schedule: '*/4 * * * * *' fires", error, StringComparison.Ordinal);
        }

        // The timer function plans the next occurrence; a missed one then runs once, on the latest valid version.
        const string cron = "0 0 0 1 1 *";
        await _user.UploadSpecAsync(project, WithSchedule(cron));
        var planned = await WaitForStateAsync(project, s => s.Next > DateTimeOffset.UtcNow, "the schedule's next occurrence");
        Assert.Equal(CronSchedule.Parse(cron).NextAfter(planned.LastUpdated), planned.Next);
        var occurrence = await MakeDueAsync(project, cron);
        await WaitForStateAsync(project, s => s.Last == occurrence, "the occurrence to be claimed");
        var run = Assert.Single(await _user.WaitForFinishedRunsAsync(project, 3), r => r.GetProperty("trigger").GetString() == "schedule");
        Assert.Equal("Promoted", run.GetProperty("status").GetString());
        Assert.Equal($"schedule '{cron}' occurrence {occurrence:O} on the latest valid dataset version 1", run.GetProperty("reason").GetString());
        Assert.Equal(1, run.GetProperty("dataset").GetProperty("version").GetInt32());
        Assert.Equal(upload.GetProperty("dataset").GetProperty("contentHash").GetString(), run.GetProperty("dataset").GetProperty("contentHash").GetString());
        Assert.True(await _user.ProductionVersionAsync(project) >= 2);

        // A changed schedule: the next occurrence is the new cron's (July, never January).
        const string changed = "0 0 0 1 7 *";
        await _user.UploadSpecAsync(project, WithSchedule(changed));
        var replanned = await WaitForStateAsync(project, s => s.Next.Month == 7, "the next occurrence on the changed schedule");
        Assert.Equal(CronSchedule.Parse(changed).NextAfter(replanned.LastUpdated), replanned.Next);
        Assert.Equal(occurrence, replanned.Last);

        // Removed: a missed occurrence no longer runs, while a control project's does (so the timer did evaluate).
        await _user.UploadSpecAsync(project, Spec);
        const string control = "control";
        await _user.UploadSpecAsync(control, WithSchedule(cron));
        await WaitForStateAsync(control, s => s.Next > DateTimeOffset.UtcNow, "the control's next occurrence");
        var removed = await MakeDueAsync(project, changed);
        var controlOccurrence = await MakeDueAsync(control, cron);
        await WaitForStateAsync(control, s => s.Last == controlOccurrence, "the control's occurrence to be claimed");
        var after = await WaitForStateAsync(project, _ => true, "the removed schedule's state");
        Assert.Equal(removed, after.Next);
        Assert.Equal(3, (await _user.RunsAsync(project)).Count);
    }

    private static string WithSchedule(string cron) => Spec.Replace("\"gates\"", $"\"schedule\": \"{cron}\", \"gates\"", StringComparison.Ordinal);

    private async Task<TimerScheduleState> WaitForStateAsync(string project, Func<TimerScheduleState, bool> condition, string what)
    {
        var statuses = host.Services.GetRequiredService<ScheduleStatusStore>();
        TimerScheduleState? state = null;
        await ProductUser.WaitUntilAsync(async () =>
        {
            state = (await statuses.ReadAsync(ScheduledRetraining.ScheduleName(project), CancellationToken.None))?.Status;
            return state is not null && condition(state);
        }, what, TimeSpan.FromSeconds(60));
        return state!;
    }

    private Task<DateTimeOffset> MakeDueAsync(string project, string cron) =>
        MissedOccurrences.MakeDueAsync(host.Services.GetRequiredService<ScheduleStatusStore>(), ScheduledRetraining.ScheduleName(project), cron);
}
