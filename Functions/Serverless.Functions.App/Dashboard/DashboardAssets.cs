using System.Security.Cryptography;

namespace Serverless.Functions.Dashboard;

/// <summary>
/// The dashboard's files, embedded in this assembly under <c>dashboard/</c>: the page shell
/// (<see cref="PageName"/>) and the static assets served at <c>/dashboard/{name}</c>.
/// </summary>
public sealed class DashboardAssets
{
    /// <summary>The page template; not served as an asset (it is rendered per caller).</summary>
    public const string PageName = "index.html";

    private const string ResourcePrefix = "dashboard/";

    private static readonly Dictionary<string, string> ContentTypes = new(StringComparer.OrdinalIgnoreCase)
    {
        [".html"] = "text/html; charset=utf-8",
        [".js"] = "text/javascript; charset=utf-8",
        [".css"] = "text/css; charset=utf-8",
        [".svg"] = "image/svg+xml",
    };

    private readonly Dictionary<string, DashboardAsset> _assets;

    private DashboardAssets(Dictionary<string, DashboardAsset> assets) => _assets = assets;

    /// <summary>The files embedded in this assembly.</summary>
    public static DashboardAssets Embedded { get; } = Load();

    /// <summary>Names of the files served at <c>/dashboard/{name}</c> (the page template excluded).</summary>
    public IEnumerable<string> StaticNames => _assets.Keys.Where(n => n != PageName).Order(StringComparer.Ordinal);

    /// <summary>The page template (UTF-8 HTML with <c>{{...}}</c> placeholders).</summary>
    public DashboardAsset Page => _assets[PageName];

    /// <summary>The static asset called <paramref name="name"/>, or <c>null</c> when there is none (the page template is not one).</summary>
    public DashboardAsset? FindStatic(string name) =>
        name != PageName && _assets.TryGetValue(name, out var asset) ? asset : null;

    private static DashboardAssets Load()
    {
        var assembly = typeof(DashboardAssets).Assembly;
        var assets = new Dictionary<string, DashboardAsset>(StringComparer.Ordinal);
        foreach (var resource in assembly.GetManifestResourceNames().Where(n => n.StartsWith(ResourcePrefix, StringComparison.Ordinal)))
        {
            var name = resource[ResourcePrefix.Length..];
            if (!ContentTypes.TryGetValue(Path.GetExtension(name), out var contentType))
            {
                throw new InvalidOperationException($"Dashboard file '{name}' has no known content type; add its extension to {nameof(DashboardAssets)}.");
            }

            using var stream = assembly.GetManifestResourceStream(resource)!;
            using var buffer = new MemoryStream();
            stream.CopyTo(buffer);
            var content = buffer.ToArray();
            var etag = "\"" + Convert.ToHexStringLower(SHA256.HashData(content).AsSpan(0, 12)) + "\"";
            assets[name] = new DashboardAsset(name, contentType, content, etag);
        }

        if (!assets.ContainsKey(PageName))
        {
            throw new InvalidOperationException($"The dashboard assembly embeds no '{PageName}'.");
        }

        return new DashboardAssets(assets);
    }
}
