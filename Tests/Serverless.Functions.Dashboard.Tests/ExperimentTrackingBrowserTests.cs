using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Playwright;
using Xunit;
using static Microsoft.Playwright.Assertions;

namespace Serverless.Functions.Dashboard.Tests;

/// <summary>
/// The experiment-tracking views in a real (headless Debian) Chromium over two real runs (<see cref="TrackedProject"/>):
/// the runs table sorted, filtered and paged; two runs compared; a run's candidates per hyperparameter; a dataset
/// version's histograms; two dataset versions diffed; the model card's importance and slices. Every chart is
/// screenshotted and must hold coloured marks.
/// </summary>
[Collection(DashboardCollection.Name)]
public sealed class ExperimentTrackingBrowserTests(DashboardHost host) : IAsyncLifetime
{
    private DashboardBrowser _browser = null!;

    private IPage Page => _browser.Page;

    public async Task InitializeAsync() => _browser = await DashboardBrowser.LaunchAsync(host, new ViewportSize { Width = 1400, Height = 1000 });

    public async Task DisposeAsync() => await _browser.DisposeAsync();

    [Fact]
    public async Task Runs_table_sorts_by_a_metric_filters_and_pages()
    {
        var tracked = await TrackedProject.EnsureAsync(host);
        using var api = new OperatorSession(host);
        var listed = (await api.Admin.GetFromJsonAsync<JsonElement>($"api/runs?project={tracked.Name}")).GetProperty("runs").EnumerateArray().ToList();
        Assert.Equal(2, listed.Count);

        // A metric on which the two runs differ: sorting by it puts them in that metric's order, and the other way round.
        var metric = listed[0].GetProperty("metrics").EnumerateObject().Select(m => m.Name)
            .First(name => listed[0].GetProperty("metrics").GetProperty(name).GetDouble() != listed[1].GetProperty("metrics").GetProperty(name).GetDouble());
        var descending = listed.OrderByDescending(r => r.GetProperty("metrics").GetProperty(metric).GetDouble()).Select(r => r.GetProperty("id").GetString()!).ToList();

        await Page.GotoAsync(_browser.PageUrl($"#/runs?project={tracked.Name}"));
        await Expect(Page.Locator("tr[data-run]")).ToHaveCountAsync(2);
        foreach (var run in listed)
        {
            var row = Page.Locator($"tr[data-run='{run.GetProperty("id").GetString()}']");
            DashboardBrowser.AssertShown(run.GetProperty("metrics").GetProperty(metric).GetDouble(), await row.Locator($"[data-metric='{metric}']").TextContentAsync());
        }

        await Page.Locator($"button[data-sort='{metric}']").ClickAsync();
        await Expect(Page.Locator($"button[data-sort='{metric}']")).ToHaveAttributeAsync("aria-sort", "descending");
        Assert.Equal(descending, await RowOrderAsync());
        await Page.Locator($"button[data-sort='{metric}']").ClickAsync();
        await Expect(Page.Locator($"button[data-sort='{metric}']")).ToHaveAttributeAsync("aria-sort", "ascending");
        Assert.Equal(Enumerable.Reverse(descending).ToList(), await RowOrderAsync());

        // A tag on one run: the tag filter narrows the table to it; a tag value that looks like markup is shown as text.
        const string markup = "<img src=x onerror=alert(1)>";
        var patched = await api.Admin.PatchAsJsonAsync($"api/runs/{tracked.FirstId}", new { tags = new Dictionary<string, string> { ["experiment"] = "baseline", ["note"] = markup } });
        Assert.Equal(HttpStatusCode.OK, patched.StatusCode);
        await Page.GetByLabel("tag").FillAsync("experiment:baseline");
        await Page.GetByLabel("tag").PressAsync("Enter");
        await Expect(Page.Locator("tr[data-run]")).ToHaveCountAsync(1);
        var tagged = Page.Locator($"tr[data-run='{tracked.FirstId}']");
        await Expect(tagged).ToContainTextAsync("experiment:baseline");
        await Expect(tagged).ToContainTextAsync($"note:{markup}");
        await Expect(tagged.Locator("img")).ToHaveCountAsync(0);

        // The status filter narrows by the run's outcome; a status no run has empties the table.
        // A hash change redraws asynchronously: wait for the unfiltered table, or the old view's controls get the clicks.
        await Page.GotoAsync(_browser.PageUrl($"#/runs?project={tracked.Name}"));
        await Expect(Page.Locator("tr[data-run]")).ToHaveCountAsync(2);
        await Page.GetByLabel("status").SelectOptionAsync("Terminated");
        await Expect(Page.GetByText("No runs match.")).ToBeVisibleAsync();
        await Page.GetByLabel("status").SelectOptionAsync(tracked.Second.GetProperty("status").GetString()!);
        await Expect(Page.Locator($"tr[data-run='{tracked.SecondId}']")).ToHaveCountAsync(1);

        // Paging: one run per page, the continuation token leads to the other.
        await Page.GotoAsync(_browser.PageUrl($"#/runs?project={tracked.Name}&top=1"));
        await Expect(Page.Locator("#next-page")).ToHaveCountAsync(1);
        await Expect(Page.Locator("tr[data-run]")).ToHaveCountAsync(1);
        var firstPage = (await RowOrderAsync()).Single();
        await Page.Locator("#next-page").ClickAsync();
        await Expect(Page.Locator($"tr[data-run='{firstPage}']")).ToHaveCountAsync(0);
        await Expect(Page.Locator("tr[data-run]")).ToHaveCountAsync(1);
        Assert.Equal(listed.Select(r => r.GetProperty("id").GetString()).Except([firstPage]).Single(), (await RowOrderAsync()).Single());
        await Expect(Page.Locator("#next-page")).ToHaveCountAsync(0);

        // Back to the page before: the first run again, and nothing before it.
        await Page.Locator("#previous-page").ClickAsync();
        await Expect(Page.Locator($"tr[data-run='{firstPage}']")).ToHaveCountAsync(1);
        await Expect(Page.Locator("tr[data-run]")).ToHaveCountAsync(1);
        await Expect(Page.Locator("#previous-page")).ToHaveCountAsync(0);
        await Expect(Page.Locator("#next-page")).ToHaveCountAsync(1);
    }

    [Fact]
    public async Task Two_runs_are_compared_side_by_side_with_a_metric_over_time()
    {
        var tracked = await TrackedProject.EnsureAsync(host);
        await Page.GotoAsync(_browser.PageUrl($"#/runs?project={tracked.Name}"));
        await Page.Locator($"input[data-select='{tracked.FirstId}']").CheckAsync();
        await Page.Locator($"input[data-select='{tracked.SecondId}']").CheckAsync();
        await Page.Locator("#compare-selected").ClickAsync();

        var comparison = Page.Locator("#comparison");
        foreach (var run in new[] { tracked.First, tracked.Second })
        {
            var id = run.GetProperty("id").GetString()!;
            await Expect(comparison.Locator($"th[data-run='{id}']")).ToHaveCountAsync(1);
            await Expect(comparison.Locator($"tr[data-row='dataset'] td[data-run='{id}']")).ToHaveTextAsync($"v{run.GetProperty("datasetVersion").GetInt32()}");
            await Expect(comparison.Locator($"tr[data-row='outcome'] td[data-run='{id}']")).ToHaveTextAsync(run.GetProperty("status").GetString()!);
        }

        // The chart: one point per run.
        var chart = Page.Locator("#compare-chart svg");
        await Expect(chart.Locator("circle[data-run]")).ToHaveCountAsync(2);
        await DashboardBrowser.AssertInkedAsync(chart, "compare chart");
    }

    [Fact]
    public async Task A_runs_candidates_are_charted_against_each_swept_hyperparameter()
    {
        var tracked = await TrackedProject.EnsureAsync(host);
        var candidates = tracked.First.GetProperty("candidates").EnumerateArray()
            .Where(c => c.TryGetProperty("metrics", out var m) && m.ValueKind == JsonValueKind.Object && !(c.TryGetProperty("error", out var e) && e.ValueKind == JsonValueKind.String))
            .ToList();
        Assert.True(candidates.Count >= 2, $"The search trained {candidates.Count} candidates.");
        var swept = candidates.SelectMany(c => c.GetProperty("parameters").EnumerateObject().Select(p => p.Name)).Distinct()
            .Where(name => candidates.Where(c => c.GetProperty("parameters").TryGetProperty(name, out _))
                .Select(c => c.GetProperty("parameters").GetProperty(name).GetRawText()).Distinct().Count() > 1)
            .ToList();
        Assert.NotEmpty(swept);

        await Page.GotoAsync(_browser.PageUrl($"#/runs/{tracked.FirstId}"));
        var charts = Page.Locator("#candidate-charts");
        await Expect(charts.Locator("figure[data-parameter]")).ToHaveCountAsync(swept.Count);
        foreach (var parameter in swept)
        {
            var having = candidates.Where(c => c.GetProperty("parameters").TryGetProperty(parameter, out _)).ToList();
            var figure = charts.Locator($"figure[data-parameter='{parameter}']");
            await Expect(figure.Locator("circle[data-candidate-index]")).ToHaveCountAsync(having.Count);
            foreach (var candidate in having)
            {
                await Expect(figure.Locator($"circle[data-candidate-index='{candidate.GetProperty("index").GetInt32()}']")).ToHaveCountAsync(1);
            }
        }

        await DashboardBrowser.AssertInkedAsync(charts.Locator("figure[data-parameter] svg").First, "candidate chart");
    }

    [Fact]
    public async Task A_dataset_versions_profile_is_a_histogram_per_column()
    {
        var tracked = await TrackedProject.EnsureAsync(host);
        using var api = new OperatorSession(host);
        var version = tracked.First.GetProperty("datasetVersion").GetInt32();
        var detail = await api.Admin.GetFromJsonAsync<JsonElement>($"api/projects/{tracked.Name}/datasets/{version}");
        var columns = detail.GetProperty("profile").GetProperty("columns").EnumerateArray().ToList();

        // From the project page's dataset versions to the version.
        await Page.GotoAsync(_browser.PageUrl($"#/projects/{tracked.Name}"));
        await Page.Locator($"tr[data-dataset-version='{version}'] a").First.ClickAsync();
        var histograms = Page.Locator("#histograms");
        await Expect(histograms.Locator("figure[data-column]")).ToHaveCountAsync(columns.Count);
        foreach (var column in columns)
        {
            var figure = histograms.Locator($"figure[data-column='{column.GetProperty("name").GetString()}']");
            var bars = column.TryGetProperty("histogram", out var histogram) && histogram.ValueKind == JsonValueKind.Object
                ? histogram.GetProperty("counts").GetArrayLength()
                : column.GetProperty("topCategories").GetArrayLength();
            await Expect(figure.Locator("rect.bar-mark")).ToHaveCountAsync(bars);
        }

        // The categorical slice column: its three values as bars.
        await Expect(histograms.Locator("figure[data-column='region'] rect.bar-mark")).ToHaveCountAsync(3);
        await Expect(Page.Locator($"tr[data-run='{tracked.FirstId}']")).ToHaveCountAsync(1);
        await DashboardBrowser.AssertInkedAsync(histograms.Locator("figure[data-column='alcohol'] svg"), "alcohol histogram");
        await DashboardBrowser.AssertInkedAsync(histograms.Locator("figure[data-column='region'] svg"), "region bars");
    }

    [Fact]
    public async Task Two_dataset_versions_are_diffed_by_schema_rows_and_statistics()
    {
        var tracked = await TrackedProject.EnsureAsync(host);
        using var api = new OperatorSession(host);
        var from = tracked.First.GetProperty("datasetVersion").GetInt32();
        var to = tracked.Second.GetProperty("datasetVersion").GetInt32();
        var mean = async (int v) => (await api.Admin.GetFromJsonAsync<JsonElement>($"api/projects/{tracked.Name}/datasets/{v}"))
            .GetProperty("profile").GetProperty("columns").EnumerateArray().Single(c => c.GetProperty("name").GetString() == "alcohol").GetProperty("mean").GetDouble();

        await Page.GotoAsync(_browser.PageUrl($"#/projects/{tracked.Name}"));
        var form = Page.Locator("#dataset-diff");
        await form.GetByLabel("from version").SelectOptionAsync(from.ToString(CultureInfo.InvariantCulture));
        await form.GetByLabel("to version").SelectOptionAsync(to.ToString(CultureInfo.InvariantCulture));
        await form.GetByRole(AriaRole.Button, new() { Name = "Diff versions" }).ClickAsync();

        await Expect(Page.Locator("h1")).ToContainTextAsync($"v{from} → v{to}");
        await Expect(Page.Locator("tr[data-schema-column='vintage']")).ToHaveAttributeAsync("data-change", "added");
        await Expect(Page.Locator("tr[data-schema-column]")).ToHaveCountAsync(1);
        await Expect(Page.Locator("#diff-rows tr[data-row='rows']")).ToContainTextAsync($"-{178 - TrackedProject.SecondRows}");

        var alcohol = Page.Locator("tr[data-column='alcohol'][data-statistic='mean']");
        await Expect(alcohol).ToHaveAttributeAsync("data-changed", "true");
        var delta = double.Parse((await alcohol.Locator("[data-delta]").TextContentAsync())!, CultureInfo.InvariantCulture);
        var expected = await mean(to) - await mean(from);
        Assert.True(Math.Abs(delta - expected) <= 1e-3 * Math.Max(1, Math.Abs(expected)), $"Shown delta {delta}, the API's means differ by {expected}.");

        await DashboardBrowser.AssertInkedAsync(Page.Locator("#diff-histograms figure[data-column='alcohol']"), "alcohol histograms of both versions");
    }

    [Fact]
    public async Task The_model_card_shows_feature_importance_and_slice_metrics()
    {
        var tracked = await TrackedProject.EnsureAsync(host);
        using var api = new OperatorSession(host);
        var modelVersion = tracked.First.GetProperty("modelVersion").GetInt32();
        var version = await api.Admin.GetFromJsonAsync<JsonElement>($"api/models/{tracked.Name}/versions/{modelVersion}");
        var slices = version.GetProperty("slices").EnumerateArray().Single(s => s.GetProperty("column").GetString() == "region");

        await Page.GotoAsync(_browser.PageUrl($"#/models/{tracked.Name}"));
        await Page.Locator($"tr[data-version='{modelVersion}']:not([data-alias])").GetByRole(AriaRole.Button, new() { Name = "Lineage" }).ClickAsync();
        var lineage = Page.Locator("#lineage");
        await Expect(lineage.Locator("tr[data-importance]")).ToHaveCountAsync(version.GetProperty("featureImportance").GetArrayLength());
        foreach (var value in slices.GetProperty("values").EnumerateArray())
        {
            var row = lineage.Locator($"tr[data-slice='region={value.GetProperty("value").GetString()}']");
            await Expect(row).ToContainTextAsync(value.GetProperty("rows").GetInt32().ToString(CultureInfo.InvariantCulture));
            foreach (var metric in value.GetProperty("metrics").EnumerateObject())
            {
                DashboardBrowser.AssertShown(metric.Value.GetDouble(), await row.Locator($"[data-metric='{metric.Name}']").TextContentAsync());
            }
        }

        Assert.Equal(3, slices.GetProperty("values").GetArrayLength());
    }

    [Fact]
    public async Task The_ink_check_finds_nothing_in_an_empty_chart()
    {
        await Page.SetContentAsync("""<svg id="empty" width="300" height="200" style="background:#fff"><rect width="300" height="200" fill="#fff"/><line x1="10" y1="190" x2="290" y2="190" stroke="#9ca3af"/></svg>""");
        Assert.Equal(0, PngPixels.CountColored(await Page.Locator("#empty").ScreenshotAsync()));
        await Page.SetContentAsync("""<svg id="marked" width="300" height="200"><rect width="300" height="200" fill="#fff"/><circle cx="50" cy="50" r="5" fill="#2f6fed"/></svg>""");
        Assert.InRange(PngPixels.CountColored(await Page.Locator("#marked").ScreenshotAsync()), DashboardBrowser.MinimumInk, 200);
    }

    private async Task<List<string>> RowOrderAsync() =>
        [.. (await Page.Locator("tr[data-run]").EvaluateAllAsync<string[]>("rows => rows.map(r => r.dataset.run)"))];
}
