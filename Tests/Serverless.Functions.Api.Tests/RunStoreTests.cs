using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Serverless.Orchestrations.Monitoring;
using Serverless.Storage;
using Serverless.Testing;
using Xunit;

namespace Serverless.Functions.Api.Tests;

/// <summary>
/// Issue 12 over HTTP on the real host: a run is a record in the run store, not orchestration state. It outlives its
/// purged durable instance and housekeeping, is searched (filters, tags, metric order, pages), annotated, compared,
/// rerun with the same dataset version and spec snapshot (same metrics), and goes only by <c>DELETE /api/runs/{id}</c>,
/// refused with 409 while a model version's lineage names it.
/// </summary>
public sealed class RunStoreTests(ProductHost host) : IClassFixture<ProductHost>
{
    private readonly ProductUser _user = new(host);

    [Fact]
    public async Task A_run_outlives_its_purged_instance_and_housekeeping_and_goes_only_by_delete()
    {
        const string project = "kept";
        const string rejectedProject = "kept-rejected";
        await _user.UploadSpecAsync(project, """{ "label": "cultivar", "trainers": ["lightgbm", "linear"], "search": { "maxCandidates": 2 } }""");
        await _user.UploadSpecAsync(rejectedProject, """{ "label": "cultivar", "trainers": ["linear"], "validation": { "minRows": 100000 } }""");
        var wine = await File.ReadAllBytesAsync(SharedData.PathOf("wine.csv"));
        await _user.UploadAsync(project, "v1.csv", wine);
        await _user.UploadAsync(rejectedProject, "v1.csv", wine);
        var run = (await _user.WaitForFinishedRunsAsync(project, 1)).Single();
        var rejected = (await _user.WaitForFinishedRunsAsync(rejectedProject, 1)).Single();
        var id = run.GetProperty("id").GetString()!;
        var rejectedId = rejected.GetProperty("id").GetString()!;
        Assert.True(rejected.GetProperty("status").GetString() == "Rejected", rejected.ToString());
        Assert.Equal(2, run.GetProperty("candidates").GetArrayLength());
        Assert.Equal(JsonValueKind.Object, run.GetProperty("evaluation").ValueKind);
        Assert.Equal(1, run.GetProperty("datasetVersion").GetInt32());
        Assert.Equal(64, run.GetProperty("specHash").GetString()!.Length);
        Assert.False(string.IsNullOrEmpty(run.GetProperty("codeVersion").GetString()));
        Assert.Equal(run.GetProperty("dataset").GetProperty("contentHash").GetString(), run.GetProperty("datasetHash").GetString());
        Assert.All(run.GetProperty("steps").EnumerateArray(), s => Assert.Equal("Completed", s.GetProperty("status").GetString()));

        // Once the orchestration has ended, it is purged through the Durable Functions management API, then housekeeping runs.
        await WaitUntilEndedAsync(id);
        await WaitUntilEndedAsync(rejectedId);
        Assert.Equal(HttpStatusCode.OK, (await _user.Admin.DeleteAsync($"runtime/webhooks/durabletask/instances/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await _user.Admin.GetAsync($"runtime/webhooks/durabletask/instances/{id}")).StatusCode);
        await host.Services.GetRequiredService<Housekeeping>().RunAsync(CancellationToken.None);

        var kept = await _user.RunAsync(id);
        foreach (var field in new[] { "status", "candidates", "evaluation", "steps", "dataset", "modelVersion", "specHash", "datasetVersion", "trigger", "reason", "createdAt" })
        {
            Assert.Equal(run.GetProperty(field).GetRawText(), kept.GetProperty(field).GetRawText());
        }

        // The candidates' artifacts stay with the run: housekeeping does not take a recorded run's folder for an orphan.
        var blobs = host.Services.GetRequiredService<IBlobStore>();
        foreach (var candidate in kept.GetProperty("candidates").EnumerateArray())
        {
            Assert.NotNull(await blobs.GetPropertiesAsync(host.Host.Options.ArtifactsContainer, candidate.GetProperty("onnxPath").GetString()!));
        }

        var metric = kept.GetProperty("evaluation").GetProperty("metric").GetString()!;
        var listed = await ListAsync($"api/runs?project={project}&orderBy=metric:{metric}:desc");
        var summary = Assert.Single(listed.Runs);
        Assert.Equal(id, summary.GetProperty("id").GetString());
        Assert.Equal(run.GetProperty("status").GetString(), summary.GetProperty("status").GetString());
        Assert.Equal(kept.GetProperty("evaluation").GetProperty("challenger").GetProperty(metric).GetDouble(), summary.GetProperty("metrics").GetProperty(metric).GetDouble());
        Assert.Contains(id, (await ListAsync($"api/runs?status={run.GetProperty("status").GetString()}&trigger=upload")).Ids);
        Assert.DoesNotContain(id, (await ListAsync("api/runs?trigger=manual")).Ids);
        Assert.DoesNotContain(id, (await ListAsync($"api/runs?since={Uri.EscapeDataString(DateTimeOffset.UtcNow.AddMinutes(1).ToString("O"))}")).Ids.ToList());
        Assert.Contains(id, (await ListAsync($"api/runs?until={Uri.EscapeDataString(DateTimeOffset.UtcNow.AddMinutes(1).ToString("O"))}")).Ids);
        Assert.Equal(HttpStatusCode.BadRequest, (await _user.Admin.GetAsync("api/runs?orderBy=auc")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await _user.Admin.GetAsync("api/runs?top=0")).StatusCode);

        // Only an admin deletes; a run a registered version's lineage names is refused; one that registered nothing goes.
        using var reader = host.CreateClient(await CreateKeyAsync(new { name = Serverless.Testing.AzuriteFixture.UniqueName("reader"), level = "function" }));
        Assert.Equal(HttpStatusCode.Forbidden, (await reader.DeleteAsync($"api/runs/{rejectedId}")).StatusCode);
        using var refused = await _user.Admin.DeleteAsync($"api/runs/{id}");
        Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
        Assert.Contains($"model '{project}' version {kept.GetProperty("modelVersion").GetInt32()}", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await _user.Admin.GetAsync($"api/runs/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await _user.Admin.DeleteAsync($"api/runs/{rejectedId}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await _user.Admin.GetAsync($"api/runs/{rejectedId}")).StatusCode);
        Assert.Empty((await ListAsync($"api/runs?project={rejectedProject}")).Runs);
        Assert.Equal(HttpStatusCode.NotFound, (await _user.Admin.DeleteAsync($"api/runs/{rejectedId}")).StatusCode);
    }

    [Fact]
    public async Task Runs_are_annotated_rerun_with_the_same_metrics_compared_and_paged()
    {
        const string project = "rerun";
        await _user.UploadSpecAsync(project, """{ "label": "cultivar", "trainers": ["linear", "lightgbm"], "split": { "test": 0.2, "validation": 0.1, "seed": 7 } }""");
        await _user.UploadAsync(project, "v1.csv", await File.ReadAllBytesAsync(SharedData.PathOf("wine.csv")));
        var original = (await _user.WaitForFinishedRunsAsync(project, 1)).Single();
        var id = original.GetProperty("id").GetString()!;
        await WaitUntilEndedAsync(id);

        // Tags and description: admin only, searchable by tag=key:value; a version's too.
        using var reader = host.CreateClient(await CreateKeyAsync(new { name = Serverless.Testing.AzuriteFixture.UniqueName("reader"), level = "function" }));
        Assert.Equal(HttpStatusCode.Forbidden, (await reader.PatchAsJsonAsync($"api/runs/{id}", new { tags = new { team = "risk" } })).StatusCode);
        using (var patched = await _user.Admin.PatchAsJsonAsync($"api/runs/{id}", new { tags = new { team = "risk", stage = "baseline" }, description = "first wine model" }))
        {
            Assert.Equal(HttpStatusCode.OK, patched.StatusCode);
        }

        Assert.Equal(HttpStatusCode.OK, (await _user.Admin.PatchAsJsonAsync($"api/runs/{id}", new Dictionary<string, object?> { ["tags"] = new Dictionary<string, string?> { ["stage"] = null } })).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await _user.Admin.PatchAsJsonAsync($"api/runs/{id}", new { tags = new Dictionary<string, string> { ["a:b"] = "c" } })).StatusCode);
        var annotated = await _user.RunAsync(id);
        Assert.Equal("""{"team":"risk"}""", annotated.GetProperty("tags").GetRawText());
        Assert.Equal("first wine model", annotated.GetProperty("description").GetString());
        Assert.Equal([id], (await ListAsync("api/runs?tag=team:risk")).Ids);
        Assert.Empty((await ListAsync("api/runs?tag=team:ops")).Ids);
        var modelVersion = original.GetProperty("modelVersion").GetInt32();
        Assert.Equal(HttpStatusCode.OK, (await _user.Admin.PatchAsJsonAsync($"api/models/{project}/versions/{modelVersion}", new { tags = new { reviewed = "yes" }, description = "baseline" })).StatusCode);
        var version = await _user.Admin.GetFromJsonAsync<JsonElement>($"api/models/{project}/versions/{modelVersion}");
        Assert.Equal("yes", version.GetProperty("tags").GetProperty("reviewed").GetString());
        Assert.Equal("baseline", version.GetProperty("description").GetString());
        Assert.False(string.IsNullOrEmpty(version.GetProperty("annotatedBy").GetString()));

        // A rerun: same dataset version, same spec snapshot, though the project's spec changed since; same metrics.
        await _user.UploadSpecAsync(project, """{ "label": "cultivar", "trainers": ["linear"], "split": { "test": 0.3, "validation": 0.1, "seed": 11 }, "promotion": "manual" }""");
        Assert.Equal(HttpStatusCode.Forbidden, (await reader.PostAsync($"api/runs/{id}/rerun", null)).StatusCode);
        using var started = await _user.Admin.PostAsync($"api/runs/{id}/rerun", null);
        Assert.Equal(HttpStatusCode.Accepted, started.StatusCode);
        var rerunId = (await started.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
        var rerun = await WaitForEndAsync(rerunId);
        Assert.Equal(id, rerun.GetProperty("rerunOf").GetString());
        Assert.Equal("rerun", rerun.GetProperty("trigger").GetString());
        foreach (var field in new[] { "datasetVersion", "datasetHash", "specHash" })
        {
            Assert.Equal(original.GetProperty(field).GetRawText(), rerun.GetProperty(field).GetRawText());
        }

        Assert.Equal(original.GetProperty("candidates").GetArrayLength(), rerun.GetProperty("candidates").GetArrayLength());
        Assert.Equal(original.GetProperty("evaluation").GetProperty("challenger").GetRawText(), rerun.GetProperty("evaluation").GetProperty("challenger").GetRawText());
        for (var i = 0; i < original.GetProperty("candidates").GetArrayLength(); i++)
        {
            Assert.Equal(original.GetProperty("candidates")[i].GetProperty("metrics").GetRawText(), rerun.GetProperty("candidates")[i].GetProperty("metrics").GetRawText());
        }

        // A manual run under the changed spec, then the three compared side by side.
        using (var manual = await _user.Admin.PostAsync($"api/projects/{project}/runs", null))
        {
            Assert.Equal(HttpStatusCode.Accepted, manual.StatusCode);
            var changedId = (await manual.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
            await WaitForEndAsync(changedId, "AwaitingApproval");
            var compared = await _user.Admin.GetFromJsonAsync<JsonElement>($"api/runs/compare?ids={id},{rerunId},{changedId}");
            var runs = compared.GetProperty("runs").EnumerateArray().ToList();
            Assert.Equal([id, rerunId, changedId], runs.Select(r => r.GetProperty("id").GetString()));
            Assert.All(runs, r => Assert.Equal(1, r.GetProperty("datasetVersion").GetInt32()));
            Assert.Equal(runs[0].GetProperty("best").GetRawText(), runs[1].GetProperty("best").GetRawText());
            Assert.Equal(original.GetProperty("evaluation").GetProperty("challenger").GetRawText(), runs[0].GetProperty("testMetrics").GetRawText());
            var differences = compared.GetProperty("specDifferences").EnumerateArray().ToDictionary(d => d.GetProperty("path").GetString()!, d => d.GetProperty("values"));
            Assert.Equal("""["7","7","11"]""", differences["$.split.seed"].GetRawText());
            Assert.Contains("$.promotion", differences.Keys);
            Assert.Equal(HttpStatusCode.NotFound, (await _user.Admin.GetAsync($"api/runs/compare?ids={id},train-{project}-missing")).StatusCode);
            Assert.Equal(HttpStatusCode.BadRequest, (await _user.Admin.GetAsync("api/runs/compare?ids=")).StatusCode);
            Assert.Equal(HttpStatusCode.Conflict, (await _user.Admin.DeleteAsync($"api/runs/{changedId}")).StatusCode);
        }

        // Pages of one run each cover the project's three runs once; newest first.
        var seen = new List<string>();
        string? token = null;
        do
        {
            var page = await ListAsync($"api/runs?project={project}&top=1" + (token is null ? string.Empty : $"&continuationToken={Uri.EscapeDataString(token)}"));
            seen.AddRange(page.Ids);
            Assert.True(page.Ids.Count <= 1);
            token = page.Next;
        }
        while (token is not null);
        Assert.Equal(3, seen.Distinct().Count());
        Assert.Equal(3, seen.Count);
        Assert.Equal(id, seen[^1]);
    }

    private async Task<JsonElement> WaitForEndAsync(string runId, string? status = null)
    {
        JsonElement run = default;
        await ProductUser.WaitUntilAsync(async () =>
        {
            var response = await _user.Admin.GetAsync($"api/runs/{runId}");
            if (response.StatusCode != HttpStatusCode.OK)
            {
                return false;
            }

            run = await response.Content.ReadFromJsonAsync<JsonElement>();
            return status is null ? run.GetProperty("runtimeStatus").GetString() is "Completed" or "Failed" : run.GetProperty("status").GetString() == status;
        }, $"run {runId} to end", ProductUser.RunTimeout);
        return run;
    }

    private Task WaitUntilEndedAsync(string runId) => ProductUser.WaitUntilAsync(
        async () => (await _user.RunAsync(runId)).GetProperty("runtimeStatus").GetString() == "Completed", $"the orchestration of {runId} to end", TimeSpan.FromSeconds(60));

    private async Task<(IReadOnlyList<JsonElement> Runs, IReadOnlyList<string> Ids, string? Next)> ListAsync(string path)
    {
        var body = await _user.Admin.GetFromJsonAsync<JsonElement>(path);
        var runs = body.GetProperty("runs").EnumerateArray().ToList();
        var next = body.TryGetProperty("continuationToken", out var token) && token.ValueKind == JsonValueKind.String ? token.GetString() : null;
        return (runs, runs.Select(r => r.GetProperty("id").GetString()!).ToList(), next);
    }

    private async Task<string> CreateKeyAsync(object body)
    {
        using var response = await _user.Admin.PostAsJsonAsync("api/keys", body);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("key").GetString()!;
    }
}
