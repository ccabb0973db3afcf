using System.Net;
using System.Text;
using Serverless.Hosting;

namespace Serverless.Functions.Dashboard;

/// <summary>
/// Renders the page shell for one caller: where the API is, what the caller's key may do (admin keys see the
/// approve, promote and roll-back controls) and the asset versions. The shell carries no registry data; the
/// script reads everything from the API with the caller's key.
/// </summary>
public static class DashboardPage
{
    /// <summary>The shell for <paramref name="caller"/>, with the API under <c>/{apiPrefix}</c>.</summary>
    public static string Render(DashboardAssets assets, CallerIdentity caller, string apiPrefix)
    {
        ArgumentNullException.ThrowIfNull(assets);
        ArgumentNullException.ThrowIfNull(caller);
        var prefix = (apiPrefix ?? string.Empty).Trim('/');
        var values = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["apiBase"] = prefix.Length == 0 ? string.Empty : "/" + prefix,
            ["access"] = caller.Level >= AuthorizationLevel.Admin ? "admin" : "read",
            ["keyName"] = caller.KeyName ?? string.Empty,
            ["projects"] = string.Join(',', caller.Projects),
        };
        foreach (var name in assets.StaticNames)
        {
            values["v:" + name] = assets.FindStatic(name)!.ETag.Trim('"');
        }

        return Fill(Encoding.UTF8.GetString(assets.Page.Content.Span), values);
    }

    private static string Fill(string template, Dictionary<string, string> values)
    {
        var page = new StringBuilder(template.Length + 256);
        var at = 0;
        while (template.IndexOf("{{", at, StringComparison.Ordinal) is var open and >= 0)
        {
            var close = template.IndexOf("}}", open, StringComparison.Ordinal);
            if (close < 0)
            {
                break;
            }

            var name = template[(open + 2)..close];
            if (!values.TryGetValue(name, out var value))
            {
                throw new InvalidOperationException($"The dashboard page names an unknown value '{{{{{name}}}}}'.");
            }

            page.Append(template, at, open - at).Append(WebUtility.HtmlEncode(value));
            at = close + 2;
        }

        return page.Append(template, at, template.Length - at).ToString();
    }
}
