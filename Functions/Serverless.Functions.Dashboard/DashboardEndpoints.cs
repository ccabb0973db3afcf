using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Net.Http.Headers;
using Serverless.Hosting.Http;

namespace Serverless.Functions.Dashboard;

/// <summary>The endpoint builders <see cref="DashboardEndpoints.MapDashboard"/> created, for the host to add key authorization.</summary>
/// <param name="Page"><c>GET /</c>: the page shell (it names the caller's access level, so it needs a key).</param>
/// <param name="Assets"><c>GET /dashboard/{name}</c>: the static script and style sheet (the same bytes for everyone, no data).</param>
public sealed record DashboardEndpointBuilders(IEndpointConventionBuilder Page, IEndpointConventionBuilder Assets);

/// <summary>
/// Maps the operators' dashboard: <c>GET /</c> and <c>GET /dashboard/{name}</c>, outside the API route prefix
/// (like the Open Inference Protocol's <c>/v2</c>). The page reads only the public JSON API under the prefix.
/// </summary>
public static class DashboardEndpoints
{
    /// <summary>The path of the static assets.</summary>
    public const string AssetsPath = "/dashboard";

    // The key may sit in the page's address (?code=): never send it on as a referrer, never cache the shell.
    private const string ContentSecurityPolicy =
        "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

    /// <summary>Maps the dashboard; <paramref name="apiPrefix"/> is the HTTP functions' route prefix (host.json <c>extensions.http.routePrefix</c>).</summary>
    public static DashboardEndpointBuilders MapDashboard(this IEndpointRouteBuilder routes, string apiPrefix)
    {
        ArgumentNullException.ThrowIfNull(routes);
        var assets = DashboardAssets.Embedded;
        // The sign-in filter goes first, so it wraps the key check the host adds to the page.
        var page = routes.MapGet("/", context => WritePageAsync(context, assets, apiPrefix)).WithName("Dashboard").WithDisplayName("Dashboard")
            .AddEndpointFilter(new DashboardSignIn());
        var files = routes.MapGet(AssetsPath + "/{name}", context => WriteAssetAsync(context, assets)).WithName("DashboardAssets").WithDisplayName("DashboardAssets");
        return new DashboardEndpointBuilders(page, files);
    }

    private static Task WritePageAsync(HttpContext context, DashboardAssets assets, string apiPrefix)
    {
        var html = DashboardPage.Render(assets, context.GetCaller(), apiPrefix);
        var headers = context.Response.Headers;
        AddSecurityHeaders(headers);
        headers.CacheControl = "no-store";
        context.Response.ContentType = "text/html; charset=utf-8";
        return context.Response.WriteAsync(html, context.RequestAborted);
    }

    private static async Task WriteAssetAsync(HttpContext context, DashboardAssets assets)
    {
        var name = context.Request.RouteValues["name"] as string ?? string.Empty;
        if (assets.FindStatic(name) is not { } asset)
        {
            await HttpContextFunctionExtensions.Error(StatusCodes.Status404NotFound, $"The dashboard has no file '{name}'.").ExecuteAsync(context).ConfigureAwait(false);
            return;
        }

        var headers = context.Response.Headers;
        AddSecurityHeaders(headers);
        headers.ETag = asset.ETag;
        headers.CacheControl = "no-cache";
        if (context.Request.Headers.IfNoneMatch.Contains(asset.ETag))
        {
            context.Response.StatusCode = StatusCodes.Status304NotModified;
            return;
        }

        context.Response.ContentType = asset.ContentType;
        context.Response.ContentLength = asset.Content.Length;
        await context.Response.Body.WriteAsync(asset.Content, context.RequestAborted).ConfigureAwait(false);
    }

    private static void AddSecurityHeaders(IHeaderDictionary headers)
    {
        headers[HeaderNames.ContentSecurityPolicy] = ContentSecurityPolicy;
        headers[HeaderNames.XContentTypeOptions] = "nosniff";
        headers["Referrer-Policy"] = "no-referrer";
        headers[HeaderNames.XFrameOptions] = "DENY";
    }
}
