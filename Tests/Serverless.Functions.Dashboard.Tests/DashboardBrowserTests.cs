using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Playwright;
using Xunit;
using static Microsoft.Playwright.Assertions;

namespace Serverless.Functions.Dashboard.Tests;

/// <summary>
/// An operator in a real (headless Debian) Chromium: a run trained on wine waits for approval, is approved from the
/// dashboard, its steps, candidates and metrics show, and the model's aliases are promoted and rolled back from the
/// model page; every change is checked through the API.
/// </summary>
[Collection(DashboardCollection.Name)]
public sealed class DashboardBrowserTests(DashboardHost host)
{
    private const string Project = "dashwine";

    [Fact]
    public async Task Operator_approves_a_run_then_promotes_and_rolls_back_from_the_dashboard()
    {
        using var api = new OperatorSession(host);
        await api.StartProjectAsync(Project, """{ "label": "cultivar", "trainers": ["lightgbm"], "promotion": "manual", "approvalTimeout": "PT10M" }""", "wine.csv");
        var waiting = await api.WaitForRunAsync(Project, "AwaitingApproval", TimeSpan.FromMinutes(2));
        var runId = waiting.GetProperty("id").GetString()!;

        await using var browser = await DashboardBrowser.LaunchAsync(host);
        var page = browser.Page;
        page.Dialog += async (_, dialog) => await dialog.AcceptAsync();

        // Overview: the project, its waiting run, and the approve button an admin key gets.
        await page.GotoAsync(browser.PageUrl(string.Empty));
        await Expect(page.Locator($"tr[data-project='{Project}']")).ToContainTextAsync("AwaitingApproval");
        var approval = page.Locator($"#awaiting tr[data-run='{runId}']");
        var evaluated = await api.Admin.GetFromJsonAsync<JsonElement>($"api/runs/{runId}");
        await Expect(approval).ToContainTextAsync(evaluated.GetProperty("evaluation").GetProperty("metric").GetString()!);
        await approval.GetByLabel("reason").FillAsync("checked in the dashboard");
        await approval.GetByRole(AriaRole.Button, new() { Name = "Approve" }).ClickAsync();
        await Expect(page.Locator("#banner")).ToContainTextAsync("approved");

        // The run's page follows the run by itself until it ends.
        await page.GotoAsync(browser.PageUrl($"#/runs/{runId}"));
        await Expect(page.Locator("h1")).ToContainTextAsync("Promoted", new() { Timeout = 60_000 });
        await api.WaitForRunAsync(Project, "Promoted", TimeSpan.FromSeconds(10));
        Assert.Equal(1, (await api.AliasesAsync(Project))["production"]);

        // The runs list: the run, what started it, its outcome.
        await page.GetByRole(AriaRole.Link, new() { Name = "Runs", Exact = true }).ClickAsync();
        var listed = page.Locator($"tr[data-run='{runId}']");
        await Expect(listed).ToContainTextAsync("Promoted");
        await Expect(listed).ToContainTextAsync(evaluated.GetProperty("trigger").GetString()!);

        // Production serves shifted wine; the drift check sees it, and the model page shows it per feature.
        var monitoring = await api.ScoreShiftedAndCheckDriftAsync(Project, "wine.csv", "cultivar");

        // The run: steps with times, the candidate with its metrics, the registered version.
        await page.GotoAsync(browser.PageUrl($"#/runs/{runId}"));
        await Expect(page.Locator("h1")).ToContainTextAsync("Promoted");
        var run = await api.Admin.GetFromJsonAsync<JsonElement>($"api/runs/{runId}");
        foreach (var step in run.GetProperty("steps").EnumerateArray())
        {
            await Expect(page.Locator($"tr[data-step='{step.GetProperty("name").GetString()}']")).ToContainTextAsync(step.GetProperty("status").GetString()!);
        }

        // A run trains several candidates per trainer (the default search): each row is named by its candidate index.
        var first = run.GetProperty("candidates")[0];
        var candidate = page.Locator($"tr[data-candidate-index='{first.GetProperty("index").GetInt32()}']");
        await Expect(candidate).ToHaveAttributeAsync("data-candidate", first.GetProperty("trainer").GetString()!);
        foreach (var metric in first.GetProperty("metrics").EnumerateObject())
        {
            DashboardBrowser.AssertShown(metric.Value.GetDouble(), await candidate.Locator($"[data-metric='{metric.Name}']").TextContentAsync());
        }

        // The model: version 1 with its metrics and lineage, production on it.
        await page.GetByRole(AriaRole.Link, new() { Name = $"{Project} v1" }).First.ClickAsync();
        await Expect(page.Locator("h1")).ToHaveTextAsync($"Model {Project}");
        var version = (await api.ModelAsync(Project)).GetProperty("versions")[0];
        var row = page.Locator("tr[data-version='1']:not([data-alias])");
        foreach (var metric in version.GetProperty("metrics").EnumerateObject())
        {
            DashboardBrowser.AssertShown(metric.Value.GetDouble(), await row.Locator($"[data-metric='{metric.Name}']").TextContentAsync());
        }

        await row.GetByRole(AriaRole.Button, new() { Name = "Lineage" }).ClickAsync();
        var lineage = page.Locator("#lineage");
        await Expect(lineage).ToContainTextAsync("lightgbm");
        await Expect(lineage).ToContainTextAsync(version.GetProperty("source").GetString()!);
        await Expect(lineage.GetByRole(AriaRole.Link, new() { Name = runId })).ToBeVisibleAsync();
        await Expect(page.Locator("tr[data-alias='production']")).ToContainTextAsync("v1");
        await Expect(page.Locator("#drift")).ToContainTextAsync("drift");
        var importance = (await api.Admin.GetFromJsonAsync<JsonElement>($"api/models/{Project}/versions/1")).GetProperty("featureImportance").EnumerateArray()
            .Select(f => f.GetProperty("feature").GetString()!).ToList();
        Assert.Equal(13, importance.Count);
        foreach (var feature in monitoring.GetProperty("drift").GetProperty("report").GetProperty("features").EnumerateArray())
        {
            var name = feature.GetProperty("name").GetString()!;
            var driftRow = page.Locator($"tr[data-feature='{name}']");
            await Expect(driftRow).ToContainTextAsync(feature.GetProperty("verdict").GetString()!);
            await Expect(driftRow.Locator("[data-rank]")).ToHaveTextAsync($"{importance.IndexOf(name) + 1} of 13");
        }

        // The version's feature importance, in the API's order.
        for (var rank = 0; rank < importance.Count; rank++)
        {
            await Expect(lineage.Locator("tr[data-importance]").Nth(rank)).ToHaveAttributeAsync("data-importance", importance[rank]);
        }

        await Expect(lineage.Locator($"tr[data-importance='{importance[0]}']")).ToContainTextAsync(importance[0]);

        // The run waited for approval with version 1 on staging; approving put production on it.
        await Expect(page.Locator("tr[data-alias='staging']")).ToContainTextAsync("v1");

        // Promote: a new alias onto version 1, through the form.
        var promote = page.Locator("#promote");
        await promote.GetByLabel("alias").FillAsync("challenger");
        await promote.GetByLabel("version").SelectOptionAsync("1");
        await promote.GetByLabel("reason").FillAsync("dashboard test");
        await promote.GetByRole(AriaRole.Button, new() { Name = "Promote" }).ClickAsync();
        await Expect(page.Locator("#banner")).ToContainTextAsync("challenger of dashwine now points at v1");
        Assert.Equal(1, (await api.AliasesAsync(Project))["challenger"]);
        await Expect(page.Locator("tr[data-alias='challenger']")).ToContainTextAsync("v1");

        // A bad alias name: the API's 400 is shown, nothing changes.
        await promote.GetByLabel("alias").FillAsync("Not-Valid!");
        await promote.GetByRole(AriaRole.Button, new() { Name = "Promote" }).ClickAsync();
        await Expect(page.Locator("#banner.error")).ToContainTextAsync("400");
        Assert.Equal(["challenger", "production", "staging"], (await api.AliasesAsync(Project)).Keys.Order(StringComparer.Ordinal));

        // Roll back production: it pointed nowhere before version 1, so the alias goes.
        await page.Locator("[data-rollback='production']").ClickAsync();
        await Expect(page.Locator("#banner")).ToContainTextAsync("production of dashwine rolled back");
        Assert.False((await api.AliasesAsync(Project)).ContainsKey("production"));
        await Expect(page.Locator("tr[data-alias='production']")).ToHaveCountAsync(0);

        // A read-only key sees the model but no promote or roll-back controls.
        var created = await api.Admin.PostAsJsonAsync("api/keys", new { name = "dashboard-viewer", level = "function" });
        var readKey = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("key").GetString()!;
        var viewer = await browser.Browser.NewPageAsync();
        await viewer.GotoAsync(browser.PageUrl($"#/models/{Project}", readKey));
        await Expect(viewer.Locator("tr[data-alias='challenger']")).ToContainTextAsync("v1");
        await Expect(viewer.Locator("#promote")).ToHaveCountAsync(0);
        await Expect(viewer.Locator("[data-rollback]")).ToHaveCountAsync(0);

    }
}
