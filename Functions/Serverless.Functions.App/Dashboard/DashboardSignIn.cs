using System.Net;
using System.Text;
using Microsoft.AspNetCore.Http;
using Serverless.Hosting.Http;

namespace Serverless.Functions.Dashboard;

/// <summary>
/// The page's refusal: a browser (it accepts <c>text/html</c>) turned away with a 401 or 403 gets a small
/// sign-in page with the reason and a key field (submitted as <c>?code=</c>), not the API's JSON error; other
/// clients keep the JSON. The sign-in page carries no data.
/// </summary>
public static class DashboardSignIn
{
    /// <summary>The answer to a refused key check: the sign-in page for a browser, the API's JSON error otherwise.</summary>
    public static IResult Refuse(HttpRequest request, int statusCode, string reason)
    {
        ArgumentNullException.ThrowIfNull(request);
        return WantsHtml(request)
            ? TypedResults.Content(Render(reason), "text/html; charset=utf-8", Encoding.UTF8, statusCode)
            : HttpContextFunctionExtensions.Error(statusCode, reason);
    }

    /// <summary>The sign-in page for <paramref name="reason"/> (HTML-encoded).</summary>
    public static string Render(string reason) => $$"""
        <!doctype html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <meta name="referrer" content="no-referrer">
        <title>Serverless MLOps: sign in</title>
        <link rel="icon" href="data:,">
        <link rel="stylesheet" href="{{DashboardEndpoints.AssetsPath}}/app.css">
        </head>
        <body>
        <main id="view" class="sign-in">
        <h1>Serverless MLOps</h1>
        <p class="error" id="reason">{{WebUtility.HtmlEncode(reason)}}</p>
        <form method="get" action="/">
        <label>Function or admin key <input type="password" name="code" autocomplete="off" required></label>
        <button type="submit">Open the dashboard</button>
        </form>
        <p class="muted">The host's admin key is in <code>.local/master-key.txt</code> when it generated one; function keys come from <code>POST /api/keys</code>.</p>
        </main>
        </body>
        </html>
        """;

    private static bool WantsHtml(HttpRequest request) =>
        request.GetTypedHeaders().Accept.Any(a => a.MediaType.Equals("text/html", StringComparison.OrdinalIgnoreCase));
}
