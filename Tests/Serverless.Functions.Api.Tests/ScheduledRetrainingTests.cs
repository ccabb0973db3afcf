using Microsoft.Extensions.DependencyInjection;
using Serverless.Hosting;
using Serverless.Hosting.Timers;
using Serverless.Testing;
using Serverless.Testing.Host;
using Xunit;

namespace Serverless.Functions.Api.Tests;

/// <summary>The project spec's <c>schedule</c> retrains on the latest valid dataset version, and follows spec changes.</summary>
public sealed class ScheduledRetrainingTests(ScheduledRetrainingTests.FastSyncHost host) : IClassFixture<ScheduledRetrainingTests.FastSyncHost>
{
    /// <summary>The product with specs re-read every half second, so a schedule change takes effect at once.</summary>
    public sealed class FastSyncHost : FunctionsHostFixture
    {
        protected override FunctionsTestHostOptions Configure(FunctionsTestHostOptions options) => options with
        {
            IncludeProduct = true,
            Settings = new Dictionary<string, string?>(options.Settings) { ["Product:Retraining:SyncInterval"] = "00:00:00.5" },
        };
    }

    private readonly ProductUser _user = new(host);

    [Fact]
    public async Task A_schedule_retrains_on_the_latest_valid_version_and_stops_when_removed()
    {
        const string project = "nightly";
        const string spec = """{ "label": "cultivar", "trainers": ["lightgbm"], "gates": { "mustBeatProductionBy": null } }""";
        await _user.UploadSpecAsync(project, spec);
        await _user.UploadAsync(project, "wine.csv", await File.ReadAllBytesAsync(SharedData.PathOf("wine.csv")));
        var upload = Assert.Single(await _user.WaitForFinishedRunsAsync(project, 1));
        // An invalid later version must not be what the schedule trains on.
        await _user.UploadAsync(project, "broken.csv", "alcohol,cultivar\n"u8.ToArray());
        await _user.WaitForFinishedRunsAsync(project, 2);

        // A schedule firing more often than every 5 minutes is refused, with the field named (issue 14 item 8).
        using (var tooOften = await _user.Admin.PutAsync($"api/projects/{project}", new StringContent(
            spec.Replace("\"gates\"", "\"schedule\": \"*/4 * * * * *\", \"gates\"", StringComparison.Ordinal), System.Text.Encoding.UTF8, "application/json")))
        {
            Assert.Equal(System.Net.HttpStatusCode.BadRequest, tooOften.StatusCode);
            var error = System.Text.Json.JsonDocument.Parse(await tooOften.Content.ReadAsStringAsync()).RootElement.GetProperty("error").GetString();
            Assert.Contains("schedule: '*/4 * * * * *' fires", error, StringComparison.Ordinal);
        }

        // The shortest allowed schedule is registered on the host; an occurrence (fired here rather than waited
        // for: the next one may be five minutes away) retrains on the latest valid version.
        const string cron = "0 */5 * * * *";
        await _user.UploadSpecAsync(project, spec.Replace("\"gates\"", $"\"schedule\": \"{cron}\", \"gates\"", StringComparison.Ordinal));
        var scheduler = host.Services.GetRequiredService<TimerScheduler>();
        await ProductUser.WaitUntilAsync(
            () => Task.FromResult(scheduler.Names.Contains(ScheduledRetraining.ScheduleName(project))),
            "the schedule to be registered", TimeSpan.FromSeconds(30));
        var now = DateTimeOffset.UtcNow;
        var runId = await host.Services.GetRequiredService<ScheduledRetraining>()
            .RetrainAsync(project, cron, new TimerScheduleState(now, now.AddMinutes(5), now).ToTimerInfo(isPastDue: false), CancellationToken.None);
        Assert.NotNull(runId);
        var run = await _user.WaitForStatusAsync(runId!, "Promoted", TimeSpan.FromMinutes(2));
        Assert.Equal("schedule", run.GetProperty("trigger").GetString());
        Assert.StartsWith($"schedule '{cron}' occurrence ", run.GetProperty("reason").GetString(), StringComparison.Ordinal);
        Assert.EndsWith(" on the latest valid dataset version 1", run.GetProperty("reason").GetString(), StringComparison.Ordinal);
        Assert.Equal(1, run.GetProperty("dataset").GetProperty("version").GetInt32());
        Assert.Equal(upload.GetProperty("dataset").GetProperty("contentHash").GetString(), run.GetProperty("dataset").GetProperty("contentHash").GetString());
        Assert.True(await _user.ProductionVersionAsync(project) >= 2);

        // Removing the schedule from the spec stops it on the host's next sync.
        await _user.UploadSpecAsync(project, spec);
        await ProductUser.WaitUntilAsync(
            () => Task.FromResult(!scheduler.Names.Contains(ScheduledRetraining.ScheduleName(project))),
            "the schedule to stop", TimeSpan.FromSeconds(30));
    }
}
