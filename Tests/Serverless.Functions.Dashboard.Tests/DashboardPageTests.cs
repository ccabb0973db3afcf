using Serverless.Hosting;
using Xunit;

namespace Serverless.Functions.Dashboard.Tests;

/// <summary>The page shell for one caller (pure rendering of the embedded template).</summary>
public sealed class DashboardPageTests
{
    [Fact]
    public void Caller_values_are_html_encoded()
    {
        var caller = new CallerIdentity("<script>\"x\"", AuthorizationLevel.Function, ["wine", "pima"]);
        var html = DashboardPage.Render(DashboardAssets.Embedded, caller, "api");
        Assert.Contains("content=\"&lt;script&gt;&quot;x&quot;\"", html, StringComparison.Ordinal);
        Assert.Contains("<meta name=\"dashboard-access\" content=\"read\">", html, StringComparison.Ordinal);
        Assert.Contains("<meta name=\"dashboard-projects\" content=\"wine,pima\">", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<script>\"x\"", html, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("", "")]
    [InlineData("api", "/api")]
    [InlineData("/v1/api/", "/v1/api")]
    public void Api_base_follows_the_route_prefix(string prefix, string apiBase)
    {
        var html = DashboardPage.Render(DashboardAssets.Embedded, CallerIdentity.System, prefix);
        Assert.Contains($"<meta name=\"dashboard-api\" content=\"{apiBase}\">", html, StringComparison.Ordinal);
        Assert.Contains("<meta name=\"dashboard-access\" content=\"admin\">", html, StringComparison.Ordinal);
    }

    [Fact]
    public void Every_static_file_has_a_content_type_and_the_template_is_not_one()
    {
        var assets = DashboardAssets.Embedded;
        Assert.Equal(["app.css", "app.js", "charts.js", "datasets.js", "tracking.js"], assets.StaticNames);
        Assert.Null(assets.FindStatic(DashboardAssets.PageName));
        Assert.StartsWith("text/javascript", assets.FindStatic("app.js")!.ContentType, StringComparison.Ordinal);
    }

    [Fact]
    public void Every_script_is_linked_from_the_page_with_its_version()
    {
        var html = DashboardPage.Render(DashboardAssets.Embedded, CallerIdentity.System, "api");
        foreach (var name in DashboardAssets.Embedded.StaticNames)
        {
            Assert.Contains($"/dashboard/{name}?v={DashboardAssets.Embedded.FindStatic(name)!.ETag.Trim('"')}", html, StringComparison.Ordinal);
        }
    }
}
