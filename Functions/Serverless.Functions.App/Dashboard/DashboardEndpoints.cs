using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;
using Serverless.Hosting;
using Serverless.Hosting.Http;
using Serverless.Hosting.Keys;

namespace Serverless.Functions.Dashboard;

/// <summary>
/// The operators' dashboard: <c>GET /</c> (needs a key that may read; a browser without one gets a sign-in page) and
/// <c>GET /dashboard/{name}</c> (static script and style sheet, the same bytes for everyone, no data). The page reads
/// only the public JSON API under <c>/api</c>.
/// </summary>
public sealed class DashboardEndpoints(FunctionKeyAuthorizer authorizer)
{
    /// <summary>The path of the static assets.</summary>
    public const string AssetsPath = "/dashboard";

    // The key may sit in the page's address (?code=): never send it on as a referrer, never cache the shell.
    private const string ContentSecurityPolicy =
        "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

    /// <summary>The API's route prefix the page calls.</summary>
    public const string ApiPrefix = "api";

    [Function("Dashboard")]
    public async Task<IResult> PageAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "{ignored:maxlength(0)?}")] HttpRequest request,
        FunctionContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(context);
        var http = request.HttpContext;
        var check = await authorizer.CheckAsync(http, AuthorizationLevel.Function, KeyPermissions.Read, context.CancellationToken).ConfigureAwait(false);
        if (!check.Allowed)
        {
            return DashboardSignIn.Refuse(request, check.StatusCode, check.Error!);
        }

        return new PageResult(DashboardAssets.Embedded, check.Caller);
    }

    [Function("DashboardAssets")]
    public static IResult Asset([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "dashboard/{name}")] HttpRequest request) =>
        new AssetResult(DashboardAssets.Embedded);

    private sealed class PageResult(DashboardAssets assets, CallerIdentity caller) : IResult
    {
        public Task ExecuteAsync(HttpContext httpContext) => WritePageAsync(httpContext, assets, caller);
    }

    private sealed class AssetResult(DashboardAssets assets) : IResult
    {
        public Task ExecuteAsync(HttpContext httpContext) => WriteAssetAsync(httpContext, assets);
    }

    private static Task WritePageAsync(HttpContext context, DashboardAssets assets, CallerIdentity caller)
    {
        var html = DashboardPage.Render(assets, caller, ApiPrefix);
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
