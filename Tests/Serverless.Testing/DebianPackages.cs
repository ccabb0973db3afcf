using System.Diagnostics;

namespace Serverless.Testing;

/// <summary>
/// Debian packages a test needs (Chromium for the browser tests, <c>python3-onnx</c> for the ONNX checker test): used
/// when installed, otherwise installed with <c>apt-get</c> when the test runs as root or has password-less sudo, so a
/// plain <c>dotnet test</c> sets up what it needs, as the Azurite fixture installs Azurite from npm. One install at a
/// time per test process; <c>apt-get update</c> runs at most once.
/// </summary>
public static class DebianPackages
{
    private static readonly SemaphoreSlim Installing = new(1, 1);
    private static bool _updated;

    /// <summary>Ensures <paramref name="package"/> is installed; <paramref name="providedPath"/> is a file or directory it provides (present means installed).</summary>
    /// <returns><paramref name="providedPath"/>.</returns>
    /// <exception cref="InvalidOperationException">The package is missing and cannot be installed (no apt-get, no root or sudo, apt-get failed), or it installed without <paramref name="providedPath"/>.</exception>
    public static async Task<string> EnsureInstalledAsync(string package, string providedPath)
    {
        if (Exists(providedPath))
        {
            return providedPath;
        }

        await Installing.WaitAsync();
        try
        {
            if (!Exists(providedPath))
            {
                if (!File.Exists("/usr/bin/apt-get"))
                {
                    throw new InvalidOperationException($"The tests need {providedPath} (Debian package '{package}'), and this machine has no apt-get to install it.");
                }

                var sudo = Environment.IsPrivilegedProcess ? null : "sudo";
                if (!_updated)
                {
                    await RunAsync(package, sudo, "apt-get update -qq");
                    _updated = true;
                }

                await RunAsync(package, sudo, $"apt-get install -y -qq --no-install-recommends {package}");
            }

            return Exists(providedPath)
                ? providedPath
                : throw new InvalidOperationException($"apt-get installed '{package}' but {providedPath} is missing.");
        }
        finally
        {
            Installing.Release();
        }
    }

    private static bool Exists(string path) => File.Exists(path) || Directory.Exists(path);

    private static async Task RunAsync(string package, string? sudo, string command)
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
            throw new InvalidOperationException($"Installing Debian's '{package}' for the tests failed: '{(sudo is null ? string.Empty : "sudo -n ")}{command}' exited {process.ExitCode}: {await errors}{await output}");
        }
    }
}
