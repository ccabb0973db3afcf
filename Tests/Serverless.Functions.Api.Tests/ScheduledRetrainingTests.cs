using Microsoft.Extensions.DependencyInjection;
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

        await _user.UploadSpecAsync(project, spec.Replace("\"gates\"", "\"schedule\": \"*/4 * * * * *\", \"gates\"", StringComparison.Ordinal));
        // Runs keep coming every few seconds: wait for the first scheduled one to end.
        System.Text.Json.JsonElement run = default;
        await ProductUser.WaitUntilAsync(async () =>
        {
            var first = (await _user.RunsAsync(project)).LastOrDefault(r => r.GetProperty("id").GetString()!.Contains("-schedule-", StringComparison.Ordinal));
            if (first.ValueKind != System.Text.Json.JsonValueKind.Object)
            {
                return false;
            }

            run = await _user.RunAsync(first.GetProperty("id").GetString()!);
            return run.GetProperty("status").GetString() is "Promoted" or "Registered" or "Failed" or "Rejected";
        }, "a scheduled run to finish", TimeSpan.FromMinutes(2));
        Assert.Equal("schedule", run.GetProperty("trigger").GetString());
        Assert.StartsWith("schedule '*/4 * * * * *' occurrence ", run.GetProperty("reason").GetString(), StringComparison.Ordinal);
        Assert.EndsWith(" on the latest valid dataset version 1", run.GetProperty("reason").GetString(), StringComparison.Ordinal);
        Assert.Equal("Promoted", run.GetProperty("status").GetString());
        Assert.Equal(1, run.GetProperty("dataset").GetProperty("version").GetInt32());
        Assert.Equal(upload.GetProperty("dataset").GetProperty("contentHash").GetString(), run.GetProperty("dataset").GetProperty("contentHash").GetString());
        Assert.True(await _user.ProductionVersionAsync(project) >= 2);

        // Removing the schedule from the spec stops it: no run starts after the runs in flight finish.
        await _user.UploadSpecAsync(project, spec);
        // The host drops the schedule on its next sync; it stays listed until an occurrence in flight has
        // started its run.
        var scheduler = host.Services.GetRequiredService<TimerScheduler>();
        await ProductUser.WaitUntilAsync(
            () => Task.FromResult(!scheduler.Names.Contains(ScheduledRetraining.ScheduleName(project))),
            "the schedule to stop", TimeSpan.FromSeconds(30));
        var settled = (await _user.WaitForFinishedRunsAsync(project, 3, TimeSpan.FromMinutes(2))).Count;
        Assert.True(settled >= 3);
        await Task.Delay(TimeSpan.FromSeconds(9));
        var later = await _user.RunsAsync(project);
        Assert.Equal(settled, later.Count);
        Assert.All(later.Where(r => r.GetProperty("id").GetString()!.Contains("-schedule-", StringComparison.Ordinal)), r => Assert.NotEqual("Failed", r.GetProperty("status").GetString()));
    }
}
