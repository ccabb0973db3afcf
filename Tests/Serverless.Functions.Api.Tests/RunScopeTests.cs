using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.DependencyInjection;
using Serverless.Orchestrations.Training;
using Serverless.Orchestrations.Training.Records;
using Serverless.Testing;
using Xunit;

namespace Serverless.Functions.Api.Tests;

/// <summary>
/// Issue 10 item 2 over HTTP on the real host: <c>GET /api/runs?project=wine</c> lists exactly project <c>wine</c>'s runs
/// (not <c>wine-red</c>'s, whose run ids share the prefix), and a key scoped to <c>wine</c> never learns anything of
/// another project's run: not in a list, not by id (its answer for an existing run is the answer for a missing one),
/// not by approving or rejecting it.
/// </summary>
public sealed class RunScopeTests(ProductHost host) : IClassFixture<ProductHost>
{
    [Fact]
    public async Task A_project_filter_lists_exactly_that_projects_runs()
    {
        var runs = await StartPendingRunsAsync();
        using var admin = host.CreateClient();
        await ProductUser.WaitUntilAsync(async () => (await admin.GetStringAsync("api/runs")).Contains(runs.Beer, StringComparison.Ordinal), "the pending runs to be listed", TimeSpan.FromSeconds(30));

        foreach (var path in new[] { "api/runs?project=wine", "api/runs?project=wine&status=pending" })
        {
            var listed = await ListedIdsAsync(admin, path);
            Assert.Contains(runs.Wine, listed);
            Assert.DoesNotContain(runs.WineRed, listed);
            Assert.DoesNotContain(runs.Beer, listed);
        }

        var wineRed = await ListedIdsAsync(admin, "api/runs?project=wine-red");
        Assert.Contains(runs.WineRed, wineRed);
        Assert.DoesNotContain(runs.Wine, wineRed);
    }

    [Fact]
    public async Task A_scoped_key_cannot_tell_another_projects_run_from_a_missing_one()
    {
        var runs = await StartPendingRunsAsync();
        using var admin = host.CreateClient();
        await ProductUser.WaitUntilAsync(async () => (await admin.GetStringAsync("api/runs")).Contains(runs.Beer, StringComparison.Ordinal), "the pending runs to be listed", TimeSpan.FromSeconds(30));
        using var wine = host.CreateClient(await CreateKeyAsync(new { name = AzuriteFixture.UniqueName("wine"), projects = new[] { "wine" } }));

        foreach (var path in new[] { "api/runs", "api/runs?project=wine", "api/runs?status=Pending" })
        {
            var listed = await ListedIdsAsync(wine, path);
            Assert.Contains(runs.Wine, listed);
            Assert.DoesNotContain(runs.WineRed, listed);
            Assert.DoesNotContain(runs.Beer, listed);
        }

        Assert.Equal(HttpStatusCode.OK, (await wine.GetAsync($"api/runs/{runs.Wine}")).StatusCode);

        // wine-red's run ids start with wine's prefix: the run is read, and answered as if it did not exist.
        var missingWineRed = TrainingRunIds.ForContent("wine-red", Guid.NewGuid().ToString("N"));
        await AssertSameAnswerAsync(wine, $"api/runs/{runs.WineRed}", $"api/runs/{missingWineRed}", HttpStatusCode.NotFound);

        // beer's run ids cannot be wine's: refused without reading, whether the run exists or not.
        var missingBeer = TrainingRunIds.ForContent("beer", Guid.NewGuid().ToString("N"));
        await AssertSameAnswerAsync(wine, $"api/runs/{runs.Beer}", $"api/runs/{missingBeer}", HttpStatusCode.Forbidden);

        // The promotion decision is for admin keys, which are never scoped.
        foreach (var id in new[] { runs.WineRed, runs.Beer })
        {
            Assert.Equal(HttpStatusCode.Forbidden, (await wine.PostAsync($"api/runs/{id}/approve", null)).StatusCode);
            Assert.Equal(HttpStatusCode.Forbidden, (await wine.PostAsync($"api/runs/{id}/reject", null)).StatusCode);
        }

        // The runs are untouched: still pending, not awaiting a decision (an admin's approve is refused with 409).
        Assert.Equal(HttpStatusCode.Conflict, (await admin.PostAsync($"api/runs/{runs.WineRed}/approve", null)).StatusCode);
        var wineRed = await admin.GetFromJsonAsync<JsonElement>($"api/runs/{runs.WineRed}");
        Assert.Equal("Pending", wineRed.GetProperty("status").GetString());
        Assert.Equal("wine-red", wineRed.GetProperty("project").GetString());
    }

    /// <summary>Pending runs (scheduled an hour ahead: no report yet) of wine, wine-red and beer.</summary>
    private async Task<(string Wine, string WineRed, string Beer)> StartPendingRunsAsync()
    {
        var durable = host.Services.GetRequiredService<DurableTaskClient>();
        var runs = (Wine: TrainingRunIds.ForContent("wine", Guid.NewGuid().ToString("N")),
            WineRed: TrainingRunIds.ForContent("wine-red", Guid.NewGuid().ToString("N")),
            Beer: TrainingRunIds.ForContent("beer", Guid.NewGuid().ToString("N")));
        foreach (var (id, project) in new[] { (runs.Wine, "wine"), (runs.WineRed, "wine-red"), (runs.Beer, "beer") })
        {
            await durable.ScheduleNewOrchestrationInstanceAsync(
                TrainingPipeline.Name,
                new TrainingRunRequest { Project = project, Trigger = RunTriggers.Upload, RequestedBy = "upload" },
                new StartOrchestrationOptions(id) { StartAt = DateTimeOffset.UtcNow.AddHours(1) });

            // As TrainingRuns.StartAsync does: the started run is on record, pending.
            await host.Services.GetRequiredService<RunStore>().RecordStartAsync(id, new TrainingRunRequest { Project = project, Trigger = RunTriggers.Upload, RequestedBy = "upload" }, CancellationToken.None);
        }

        return runs;
    }

    private static async Task<IReadOnlyList<string>> ListedIdsAsync(HttpClient client, string path)
    {
        var body = await client.GetFromJsonAsync<JsonElement>(path);
        return [.. body.GetProperty("runs").EnumerateArray().Select(r => r.GetProperty("id").GetString()!)];
    }

    private static async Task AssertSameAnswerAsync(HttpClient client, string existing, string missing, HttpStatusCode expected)
    {
        using var forExisting = await client.GetAsync(existing);
        using var forMissing = await client.GetAsync(missing);
        Assert.Equal(forMissing.StatusCode, forExisting.StatusCode);
        Assert.Equal(expected, forExisting.StatusCode);
        var body = await forExisting.Content.ReadAsStringAsync();
        Assert.DoesNotContain("Pending", body, StringComparison.Ordinal);
    }

    private async Task<string> CreateKeyAsync(object body)
    {
        using var admin = host.CreateClient();
        using var response = await admin.PostAsJsonAsync("api/keys", body);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("key").GetString()!;
    }
}
