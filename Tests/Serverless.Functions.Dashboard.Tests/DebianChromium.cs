using Serverless.Testing;

namespace Serverless.Functions.Dashboard.Tests;

/// <summary>Debian's Chromium for the browser tests (never a browser download), installed by <see cref="DebianPackages"/> when missing.</summary>
internal static class DebianChromium
{
    public const string ExecutablePath = "/usr/bin/chromium";

    public static Task<string> EnsureInstalledAsync() => DebianPackages.EnsureInstalledAsync("chromium", ExecutablePath);
}
