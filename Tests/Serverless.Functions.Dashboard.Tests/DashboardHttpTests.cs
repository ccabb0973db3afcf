using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Xunit;

namespace Serverless.Functions.Dashboard.Tests;

/// <summary>The dashboard's routes on the real host: the page needs a key, the static files are served with their types.</summary>
[Collection(DashboardCollection.Name)]
public sealed class DashboardHttpTests(DashboardHost host)
{
    [Fact]
    public async Task Page_needs_a_function_key()
    {
        var response = await host.Client.GetAsync("/");
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Contains("key", (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("error").GetString(), StringComparison.OrdinalIgnoreCase);

        var wrong = await host.Client.GetAsync("/?code=not-a-key");
        Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
    }

    [Fact]
    public async Task A_browser_without_a_valid_key_gets_a_sign_in_page_with_the_reason()
    {
        foreach (var address in new[] { "/", "/?code=not-a-key" })
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, address);
            request.Headers.Accept.ParseAdd("text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8");
            var response = await host.Client.SendAsync(request);
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
            Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
            var html = await response.Content.ReadAsStringAsync();
            Assert.Contains("<form method=\"get\" action=\"/\">", html, StringComparison.Ordinal);
            Assert.Contains("name=\"code\"", html, StringComparison.Ordinal);
            Assert.Contains("key", html[html.IndexOf("id=\"reason\"", StringComparison.Ordinal)..], StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain("dashboard-access", html, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Page_with_the_master_key_in_the_query_is_the_admin_shell()
    {
        var response = await host.Client.GetAsync($"/?code={Uri.EscapeDataString(host.MasterKey)}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        var html = await response.Content.ReadAsStringAsync();
        Assert.Contains("<meta name=\"dashboard-access\" content=\"admin\">", html, StringComparison.Ordinal);
        Assert.Contains("<meta name=\"dashboard-api\" content=\"/api\">", html, StringComparison.Ordinal);
        Assert.DoesNotContain("{{", html, StringComparison.Ordinal);

        // Versioned asset links carry the files' content hashes, so a new build is never served from cache.
        var script = await host.Client.GetAsync("/dashboard/app.js");
        Assert.Contains($"/dashboard/app.js?v={script.Headers.ETag!.Tag.Trim('"')}", html, StringComparison.Ordinal);

        // The key may sit in the address: no referrer, no caching, nothing but our own scripts.
        Assert.Equal("no-referrer", response.Headers.GetValues("Referrer-Policy").Single());
        Assert.True(response.Headers.CacheControl?.NoStore);
        Assert.Contains("script-src 'self'", response.Headers.GetValues("Content-Security-Policy").Single(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Page_with_a_function_key_in_the_header_is_the_read_only_shell()
    {
        var created = await host.CreateClient().PostAsJsonAsync("api/keys", new { name = "dashboard-reader", level = "function" });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var key = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("key").GetString()!;

        using var reader = host.Host.CreateClient(key);
        var html = await reader.GetStringAsync("/");
        Assert.Contains("<meta name=\"dashboard-access\" content=\"read\">", html, StringComparison.Ordinal);
        Assert.Contains("<meta name=\"dashboard-key-name\" content=\"dashboard-reader\">", html, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("app.js", "text/javascript")]
    [InlineData("charts.js", "text/javascript")]
    [InlineData("app.css", "text/css")]
    public async Task Static_files_are_served_without_a_key_with_their_content_type(string name, string mediaType)
    {
        var response = await host.Client.GetAsync($"/dashboard/{name}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(mediaType, response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("utf-8", response.Content.Headers.ContentType?.CharSet);
        Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
        var body = await response.Content.ReadAsByteArrayAsync();
        Assert.Equal(DashboardAssets.Embedded.FindStatic(name)!.Content.ToArray(), body);

        // Revalidation by entity tag.
        using var again = new HttpRequestMessage(HttpMethod.Get, $"/dashboard/{name}");
        again.Headers.IfNoneMatch.Add(response.Headers.ETag!);
        Assert.Equal(HttpStatusCode.NotModified, (await host.Client.SendAsync(again)).StatusCode);
    }

    [Theory]
    [InlineData("index.html")]
    [InlineData("missing.js")]
    public async Task Only_the_static_files_are_served_as_assets(string name)
    {
        var response = await host.Client.GetAsync($"/dashboard/{name}");
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Contains(name, (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("error").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_api_prefix_is_unchanged()
    {
        using var admin = host.CreateClient();
        var projects = await admin.GetAsync("api/projects");
        Assert.Equal(HttpStatusCode.OK, projects.StatusCode);
        Assert.Equal(new MediaTypeHeaderValue("application/json").MediaType, projects.Content.Headers.ContentType?.MediaType);
    }
}
