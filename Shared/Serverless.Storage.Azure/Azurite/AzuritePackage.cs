using System.Diagnostics;
using Microsoft.Extensions.Logging;

namespace Serverless.Storage.Azure.Azurite;

/// <summary>Finds the repo's pinned Azurite under <c>node_modules</c>, installing it with <c>npm ci</c> when it is missing.</summary>
internal static partial class AzuritePackage
{
    private const string ScriptPath = "node_modules/azurite/dist/src/azurite.js";

    private static readonly SemaphoreSlim InstallLock = new(1, 1);

    public static async Task<string> EnsureInstalledAsync(string? packageRoot, ILogger logger, CancellationToken cancellationToken)
    {
        var root = packageRoot ?? FindPackageRoot()
            ?? throw new InvalidOperationException(
                "No package.json naming azurite was found above the app or the working directory. Run from the repository, " +
                "or set AzureWebJobsStorage to use existing storage.");
        var script = Path.Combine(root, ScriptPath);
        if (File.Exists(script))
        {
            return script;
        }

        await InstallLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (!File.Exists(script))
            {
                LogInstalling(logger, root);
                await RunNpmCiAsync(root, cancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            InstallLock.Release();
        }

        return File.Exists(script) ? script : throw new InvalidOperationException($"npm ci in '{root}' did not install Azurite ({script} is missing).");
    }

    private static string? FindPackageRoot()
    {
        foreach (var start in new[] { AppContext.BaseDirectory, Directory.GetCurrentDirectory() })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                var manifest = Path.Combine(dir.FullName, "package.json");
                if (File.Exists(manifest) && File.ReadAllText(manifest).Contains("\"azurite\"", StringComparison.Ordinal))
                {
                    return dir.FullName;
                }
            }
        }

        return null;
    }

    private static async Task RunNpmCiAsync(string root, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo("npm")
        {
            WorkingDirectory = root,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[] { "ci", "--no-audit", "--no-fund", "--loglevel=error" })
        {
            start.ArgumentList.Add(argument);
        }

        Process process;
        try
        {
            process = Process.Start(start) ?? throw new InvalidOperationException("npm did not start.");
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new InvalidOperationException("Azurite needs Node.js and npm on PATH (or set AzureWebJobsStorage to use existing storage).", e);
        }

        using (process)
        {
            var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
            _ = await process.StandardOutput.ReadToEndAsync(cancellationToken).ConfigureAwait(false);
            await process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
            if (process.ExitCode != 0)
            {
                throw new InvalidOperationException($"npm ci failed in '{root}' (exit {process.ExitCode}): {await stderr.ConfigureAwait(false)}");
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Installing Azurite with npm ci in {Root} (first run)")]
    private static partial void LogInstalling(ILogger logger, string root);
}
