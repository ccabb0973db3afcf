using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Serverless.Testing;
using Xunit;

namespace Serverless.Functions.Api.Tests;

/// <summary>Manual approval, approval timeout and rollback, end to end over HTTP.</summary>
public sealed class PromotionTests(ProductHost host) : IClassFixture<ProductHost>
{
    private readonly ProductUser _user = new(host);

    [Fact]
    public async Task Approval_timeout_and_rollback_over_http()
    {
        await Task.WhenAll(ApproveThenRollBackAsync(), TimeOutAsync());
    }

    private async Task ApproveThenRollBackAsync()
    {
        const string project = "approved";
        await _user.UploadSpecAsync(project, """{ "label": "cultivar", "trainers": ["lightgbm"], "promotion": "manual", "approvalTimeout": "PT10M", "gates": { "mustBeatProductionBy": null } }""");
        var wine = await File.ReadAllBytesAsync(SharedData.PathOf("wine.csv"));
        await _user.UploadAsync(project, "v1.csv", wine);
        var first = await _user.WaitForStatusAsync(await _user.WaitForRunIdAsync(project), "AwaitingApproval");
        var firstId = first.GetProperty("id").GetString()!;
        Assert.Null(await _user.ProductionVersionAsync(project));
        Assert.Equal(1, (await _user.ModelAsync(project))!.Value.GetProperty("aliases").GetProperty("staging").GetInt32());

        // Approval needs the admin key.
        Assert.Equal(HttpStatusCode.Unauthorized, (await host.Client.PostAsync($"api/runs/{firstId}/approve", null)).StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, (await _user.Admin.PostAsync($"api/runs/{firstId}/approve?reason=looks+good", null)).StatusCode);
        await _user.WaitForStatusAsync(firstId, "Promoted");
        Assert.Equal(1, await _user.ProductionVersionAsync(project));
        Assert.Equal(HttpStatusCode.Conflict, (await _user.Admin.PostAsync($"api/runs/{firstId}/approve", null)).StatusCode);

        // A second version, approved too; then rolled back to version 1 and the alias removed, all audited.
        var lines = File.ReadAllLines(SharedData.PathOf("wine.csv"));
        await _user.UploadAsync(project, "v2.csv", System.Text.Encoding.UTF8.GetBytes(string.Join('\n', lines.Take(1).Concat(lines.Skip(1).Reverse()))));
        var secondId = await _user.WaitForRunIdAsync(project, existing: 1);
        await _user.WaitForStatusAsync(secondId, "AwaitingApproval");
        Assert.Equal(HttpStatusCode.Accepted, (await _user.Admin.PostAsync($"api/runs/{secondId}/approve", null)).StatusCode);
        await _user.WaitForStatusAsync(secondId, "Promoted");
        Assert.Equal(2, await _user.ProductionVersionAsync(project));

        // Roll back: production returns to the version it pointed at before; promote again by hand.
        Assert.Equal(HttpStatusCode.Unauthorized, (await host.Client.DeleteAsync($"api/models/{project}/aliases/production")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await _user.Admin.DeleteAsync($"api/models/{project}/aliases/production")).StatusCode);
        Assert.Equal(1, await _user.ProductionVersionAsync(project));
        var promote = await _user.Admin.PutAsJsonAsync($"api/models/{project}/aliases/production", new { version = 2, reason = "v2 fixed upstream" });
        Assert.Equal(HttpStatusCode.OK, promote.StatusCode);
        Assert.Equal(2, await _user.ProductionVersionAsync(project));

        var audit = await _user.Admin.GetFromJsonAsync($"api/models/{project}/audit");
        var changes = audit.GetProperty("changes").EnumerateArray().ToList();
        Assert.Contains(changes, c => c.GetProperty("reason").GetString() == "v2 fixed upstream");
        Assert.Contains(changes, c => c.TryGetProperty("isRollback", out var back) && back.GetBoolean() && c.GetProperty("toVersion").GetInt32() == 1);
        Assert.Equal(4, changes.Count(c => c.GetProperty("alias").GetString() == "production"));
    }

    private async Task TimeOutAsync()
    {
        const string project = "unanswered";
        await _user.UploadSpecAsync(project, """{ "label": "diabetes", "trainers": ["lightgbm"], "promotion": "manual", "approvalTimeout": "PT3S" }""");
        await _user.UploadAsync(project, "pima.csv", await File.ReadAllBytesAsync(SharedData.PathOf("pima2.csv")));
        var run = await _user.WaitForStatusAsync(await _user.WaitForRunIdAsync(project), "ApprovalTimedOut");
        Assert.Contains("no decision", run.GetProperty("promotion").GetString(), StringComparison.Ordinal);
        Assert.Null(await _user.ProductionVersionAsync(project));
        var model = await _user.ModelAsync(project);
        Assert.Equal(1, model!.Value.GetProperty("aliases").GetProperty("staging").GetInt32());
        Assert.Equal(HttpStatusCode.Conflict, (await _user.Admin.PostAsync($"api/runs/{run.GetProperty("id").GetString()}/approve", null)).StatusCode);
    }
}
