using System.Diagnostics;

namespace Serverless.Functions.Dashboard.Tests;

/// <summary>
/// Debian's Chromium for the browser tests (never a browser download): used when installed, otherwise installed with
/// <c>apt-get</c> when the test runs as root or has password-less sudo, as the test fixture installs Azurite from npm.
/// </summary>
internal static class DebianChromium
{
    public const string ExecutablePath = "/usr/bin/chromium";

    private static readonly SemaphoreSlim Installing = new(1, 1);

    public static async Task<string> EnsureInstalledAsync()
    {
        if (File.Exists(ExecutablePath))
        {
            return ExecutablePath;
        }

        await Installing.WaitAsync();
        try
        {
            if (!File.Exists(ExecutablePath))
            {
                if (!File.Exists("/usr/bin/apt-get"))
                {
                    throw new InvalidOperationException($"The browser tests need Chromium at {ExecutablePath} (Debian package 'chromium'), and this machine has no apt-get to install it.");
                }

                var sudo = Environment.IsPrivilegedProcess ? null : "sudo";
                await RunAsync(sudo, "apt-get update -qq");
                await RunAsync(sudo, "apt-get install -y -qq --no-install-recommends chromium");
            }

            return File.Exists(ExecutablePath)
                ? ExecutablePath
                : throw new InvalidOperationException($"apt-get installed 'chromium' but {ExecutablePath} is missing.");
        }
        finally
        {
            Installing.Release();
        }
    }

    private static async Task RunAsync(string? sudo, string command)
    {
        var start = new ProcessStartInfo(sudo ?? "/bin/sh")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        if (sudo is not null)
        {
            start.ArgumentList.Add("-n");
            start.ArgumentList.Add("/bin/sh");
        }

        start.ArgumentList.Add("-c");
        start.ArgumentList.Add(command);
        start.Environment["DEBIAN_FRONTEND"] = "noninteractive";
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start '{command}'.");
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(10));
        await process.WaitForExitAsync(timeout.Token);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"Installing Debian's Chromium for the browser tests failed: '{(sudo is null ? string.Empty : "sudo -n ")}{command}' exited {process.ExitCode}: {await errors}{await output}");
        }
    }
}
