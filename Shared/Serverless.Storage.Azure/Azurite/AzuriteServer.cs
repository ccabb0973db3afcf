using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;

namespace Serverless.Storage.Azure.Azurite;

/// <summary>
/// Azurite, the Azure Storage emulator, as a child process: installed from the repo's pinned
/// <c>package.json</c> on first use, started on chosen (or free) ports with its data in a folder,
/// waited for until it answers, and stopped with its process tree.
/// </summary>
public sealed partial class AzuriteServer : IAsyncDisposable
{
    /// <summary>The emulator's well-known development account key (public, documented by Microsoft).</summary>
    public const string DevelopmentAccountKey = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    public const string DevelopmentAccountName = "devstoreaccount1";

    private readonly ILogger _logger;
    private readonly string _script;
    private Process? _process;

    private AzuriteServer(AzuriteOptions options, string script, ILogger logger)
    {
        Options = options;
        _script = script;
        _logger = logger;
    }

    public AzuriteOptions Options { get; private set; }

    public string ConnectionString =>
        $"DefaultEndpointsProtocol=http;AccountName={DevelopmentAccountName};AccountKey={DevelopmentAccountKey};" +
        $"BlobEndpoint=http://127.0.0.1:{Options.BlobPort}/{DevelopmentAccountName};" +
        $"QueueEndpoint=http://127.0.0.1:{Options.QueuePort}/{DevelopmentAccountName};" +
        $"TableEndpoint=http://127.0.0.1:{Options.TablePort}/{DevelopmentAccountName};";

    public bool IsRunning => _process is { HasExited: false };

    /// <summary>Installs (if needed) and starts Azurite, returning once all three services accept connections.</summary>
    public static async Task<AzuriteServer> StartAsync(AzuriteOptions options, ILogger logger, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(logger);
        var script = await AzuritePackage.EnsureInstalledAsync(options.PackageRoot, logger, cancellationToken).ConfigureAwait(false);
        var choosesPorts = options.BlobPort == 0 || options.QueuePort == 0 || options.TablePort == 0;
        for (var attempt = 1; ; attempt++)
        {
            var chosen = options with
            {
                BlobPort = options.BlobPort == 0 ? FreePort() : options.BlobPort,
                QueuePort = options.QueuePort == 0 ? FreePort() : options.QueuePort,
                TablePort = options.TablePort == 0 ? FreePort() : options.TablePort,
            };
            var server = new AzuriteServer(chosen, script, logger);
            try
            {
                await server.StartProcessAsync(cancellationToken).ConfigureAwait(false);
                return server;
            }
            catch (InvalidOperationException) when (choosesPorts && attempt < 3)
            {
                // A chosen port was taken between choosing and binding: choose again.
                await server.StopAsync().ConfigureAwait(false);
            }
        }
    }

    /// <summary>
    /// Stops the process: asks it to shut down (SIGTERM, so Azurite saves its metadata and its data stays in
    /// <see cref="AzuriteOptions.Location"/>), and kills it if it has not exited within a few seconds.
    /// </summary>
    public async Task StopAsync()
    {
        var process = _process;
        _process = null;
        if (process is null)
        {
            return;
        }

        try
        {
            if (!process.HasExited && !OperatingSystem.IsWindows())
            {
                await RequestShutdownAsync(process).ConfigureAwait(false);
            }

            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
                await process.WaitForExitAsync(timeout.Token).ConfigureAwait(false);
            }
        }
        catch (Exception e) when (e is InvalidOperationException or OperationCanceledException)
        {
            // Already gone.
        }
        finally
        {
            process.Dispose();
            TryDeletePidFile();
        }

        LogStopped(_logger);
    }

    private static async Task RequestShutdownAsync(Process process)
    {
        try
        {
            using var signal = Process.Start(new ProcessStartInfo("kill") { ArgumentList = { "-TERM", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture) }, UseShellExecute = false });
            if (signal is not null)
            {
                await signal.WaitForExitAsync().ConfigureAwait(false);
            }

            using var grace = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            await process.WaitForExitAsync(grace.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is System.ComponentModel.Win32Exception or InvalidOperationException or OperationCanceledException)
        {
            // No kill(1), already gone, or slow to stop: the caller kills it.
        }
    }

    /// <summary>Stops and starts again on the same ports with the same data, as a storage outage would look.</summary>
    public async Task RestartAsync(CancellationToken cancellationToken = default)
    {
        await StopAsync().ConfigureAwait(false);
        await StartProcessAsync(cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync() => await StopAsync().ConfigureAwait(false);

    private async Task StartProcessAsync(CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(Options.Location);
        KillStaleProcess();
        var start = new ProcessStartInfo("node")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Options.Location,
        };
        foreach (var argument in Arguments())
        {
            start.ArgumentList.Add(argument);
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("Could not start node for Azurite.");
        _process = process;
        process.OutputDataReceived += (_, e) => { if (e.Data is { Length: > 0 } line) LogOutput(_logger, line); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is { Length: > 0 } line) LogOutput(_logger, line); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        await File.WriteAllTextAsync(PidFile, process.Id.ToString(CultureInfo.InvariantCulture), cancellationToken).ConfigureAwait(false);

        var deadline = DateTime.UtcNow + Options.StartTimeout;
        while (!await AllServicesAnswerAsync(cancellationToken).ConfigureAwait(false))
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException(
                    $"Azurite exited with code {process.ExitCode} while starting (ports {Options.BlobPort}/{Options.QueuePort}/{Options.TablePort}; a port may be in use).");
            }

            if (DateTime.UtcNow > deadline)
            {
                await StopAsync().ConfigureAwait(false);
                throw new TimeoutException($"Azurite did not answer within {Options.StartTimeout.TotalSeconds:0} s.");
            }

            await Task.Delay(100, cancellationToken).ConfigureAwait(false);
        }

        LogStarted(_logger, Options.BlobPort, Options.QueuePort, Options.TablePort, Options.InMemory ? "memory" : Options.Location);
    }

    private IEnumerable<string> Arguments()
    {
        yield return _script;
        yield return "--blobPort";
        yield return Options.BlobPort.ToString(CultureInfo.InvariantCulture);
        yield return "--queuePort";
        yield return Options.QueuePort.ToString(CultureInfo.InvariantCulture);
        yield return "--tablePort";
        yield return Options.TablePort.ToString(CultureInfo.InvariantCulture);
        yield return "--blobHost";
        yield return "127.0.0.1";
        yield return "--queueHost";
        yield return "127.0.0.1";
        yield return "--tableHost";
        yield return "127.0.0.1";
        yield return "--skipApiVersionCheck";
        yield return "--loose";
        yield return "--silent";
        yield return "--disableTelemetry";
        if (Options.InMemory)
        {
            yield return "--inMemoryPersistence";
        }
        else
        {
            yield return "--location";
            yield return Options.Location;
        }
    }

    /// <summary>
    /// Whether all three services answer as Azurite (its <c>Server</c> header), not merely whether something
    /// listens on the ports: another process may hold a port this one failed to bind.
    /// </summary>
    private async Task<bool> AllServicesAnswerAsync(CancellationToken cancellationToken)
    {
        foreach (var port in new[] { Options.BlobPort, Options.QueuePort, Options.TablePort })
        {
            try
            {
                using var response = await Probe.GetAsync(new Uri($"http://127.0.0.1:{port}/{DevelopmentAccountName}"), cancellationToken).ConfigureAwait(false);
                if (!response.Headers.Server.ToString().Contains("Azurite", StringComparison.OrdinalIgnoreCase))
                {
                    if (_process is { HasExited: false })
                    {
                        return false;
                    }

                    throw new InvalidOperationException($"Port {port} is answered by another server ({response.Headers.Server}), not Azurite.");
                }
            }
            catch (HttpRequestException)
            {
                return false;
            }
        }

        return true;
    }

    private static readonly HttpClient Probe = new() { Timeout = TimeSpan.FromSeconds(5) };

    private string PidFile => Path.Combine(Options.Location, "azurite.pid");

    /// <summary>An Azurite left behind by a host that was killed still holds the ports and the data folder: stop it.</summary>
    private void KillStaleProcess()
    {
        if (!File.Exists(PidFile) || !int.TryParse(File.ReadAllText(PidFile), CultureInfo.InvariantCulture, out var pid))
        {
            return;
        }

        try
        {
            using var stale = Process.GetProcessById(pid);
            var commandLine = File.Exists($"/proc/{pid}/cmdline") ? File.ReadAllText($"/proc/{pid}/cmdline") : string.Empty;
            if (commandLine.Contains("azurite", StringComparison.Ordinal))
            {
                LogKillingStale(_logger, pid);
                stale.Kill(entireProcessTree: true);
                stale.WaitForExit(5000);
            }
        }
        catch (ArgumentException)
        {
            // No such process.
        }

        TryDeletePidFile();
    }

    private void TryDeletePidFile()
    {
        try
        {
            File.Delete(PidFile);
        }
        catch (IOException)
        {
        }
    }

    /// <summary>
    /// A free port below Linux's ephemeral range (32768-60999), so that ports the system hands out to other
    /// processes meanwhile (port 0 listeners, outgoing connections) never take it before Azurite binds it.
    /// </summary>
    private static int FreePort()
    {
        while (true)
        {
            var port = Random.Shared.Next(20000, 32000);
            try
            {
                using var listener = new TcpListener(IPAddress.Loopback, port);
                listener.Start();
                return port;
            }
            catch (SocketException)
            {
                // In use: try another.
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Azurite started: blob {BlobPort}, queue {QueuePort}, table {TablePort}; data in {Location}")]
    private static partial void LogStarted(ILogger logger, int blobPort, int queuePort, int tablePort, string location);

    [LoggerMessage(Level = LogLevel.Information, Message = "Azurite stopped")]
    private static partial void LogStopped(ILogger logger);

    [LoggerMessage(Level = LogLevel.Debug, Message = "azurite: {Line}")]
    private static partial void LogOutput(ILogger logger, string line);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Stopping an Azurite (pid {Pid}) left running by an earlier host")]
    private static partial void LogKillingStale(ILogger logger, int pid);
}
