using System.Globalization;
using Microsoft.Playwright;
using Xunit;
using static Microsoft.Playwright.Assertions;

namespace Serverless.Functions.Dashboard.Tests;

/// <summary>
/// A headless Debian Chromium on the dashboard of <see cref="DashboardHost"/>: one page with the tests' timeouts,
/// script errors collected (disposing asserts there were none), and the checks every browser test makes: a page
/// address with the admin key, a metric shown as the API gives it, a chart that holds coloured marks.
/// </summary>
internal sealed class DashboardBrowser : IAsyncDisposable
{
    public const int MinimumInk = 40;

    private readonly IPlaywright _playwright;
    private readonly DashboardHost _host;
    private readonly List<string> _scriptErrors;

    private DashboardBrowser(DashboardHost host, IPlaywright playwright, IBrowser browser, IPage page, List<string> scriptErrors)
    {
        _host = host;
        _playwright = playwright;
        Browser = browser;
        Page = page;
        _scriptErrors = scriptErrors;
    }

    public IBrowser Browser { get; }

    public IPage Page { get; }

    public static async Task<DashboardBrowser> LaunchAsync(DashboardHost host, ViewportSize? viewport = null)
    {
        var chromium = await DebianChromium.EnsureInstalledAsync();
        var playwright = await Playwright.CreateAsync();
        var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions { ExecutablePath = chromium, Headless = true });
        var page = await browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = viewport });
        page.SetDefaultTimeout(20_000);
        SetDefaultExpectTimeout(20_000);
        var scriptErrors = new List<string>();
        page.PageError += (_, error) => scriptErrors.Add(error);
        return new DashboardBrowser(host, playwright, browser, page, scriptErrors);
    }

    /// <summary>The dashboard's address with the admin key and <paramref name="hash"/> (a view such as <c>#/runs/{id}</c>).</summary>
    public string PageUrl(string hash) => PageUrl(hash, _host.MasterKey);

    public string PageUrl(string hash, string key) => new Uri(_host.Host.BaseAddress, $"/?code={Uri.EscapeDataString(key)}{hash}").ToString();

    /// <summary>A metric the page shows equals the API's value to the page's rounding.</summary>
    public static void AssertShown(double expected, string? shown)
    {
        Assert.False(string.IsNullOrWhiteSpace(shown), $"Metric {expected} is not shown.");
        var value = double.Parse(shown, CultureInfo.InvariantCulture);
        Assert.True(Math.Abs(value - expected) <= 1e-3 * Math.Max(1, Math.Abs(expected)), $"Shown {shown}, the API says {expected}.");
    }

    /// <summary>The element's screenshot holds at least <see cref="MinimumInk"/> coloured pixels (a drawn chart, not an empty frame).</summary>
    public static async Task AssertInkedAsync(ILocator chart, string what)
    {
        await chart.ScrollIntoViewIfNeededAsync();
        var ink = PngPixels.CountColored(await chart.ScreenshotAsync());
        Assert.True(ink >= MinimumInk, $"The {what} shows {ink} coloured pixels; at least {MinimumInk} expected.");
    }

    public async ValueTask DisposeAsync()
    {
        await Browser.DisposeAsync();
        _playwright.Dispose();
        Assert.Empty(_scriptErrors);
    }
}
