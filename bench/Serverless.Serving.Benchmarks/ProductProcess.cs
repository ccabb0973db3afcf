using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace Serverless.Serving.Benchmarks;

/// <summary>
/// The product as a user runs it: the local host (<c>Serverless.Functions.LocalHost.dll</c>, built in Release) in its
/// own process, on the given (running) Azurite, with a fixed master key, on a free loopback port.
/// </summary>
public sealed class ProductProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _errors;

    private ProductProcess(Process process, StringBuilder errors, Uri baseAddress, DateTime started)
    {
        _process = process;
        _errors = errors;
        BaseAddress = baseAddress;
        Started = started;
    }

    public Uri BaseAddress { get; }

    /// <summary>The host's process id (for dotnet-trace and dotnet-counters).</summary>
    public int ProcessId => _process.Id;

    /// <summary>When the process was started (UTC), for the cold start figure.</summary>
    public DateTime Started { get; }

    /// <summary>Starts the host; it is not listening yet when this returns.</summary>
    public static ProductProcess Start(string hostDll, string repositoryRoot, string storage, string masterKey, IReadOnlyDictionary<string, string>? settings = null)
    {
        var port = GunicornPeer.FreePort().ToString(CultureInfo.InvariantCulture);
        var info = new ProcessStartInfo("dotnet", [hostDll])
        {
            WorkingDirectory = repositoryRoot,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        info.Environment["AzureWebJobsStorage"] = storage;
        info.Environment["MasterKey"] = masterKey;
        info.Environment["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port}";
        info.Environment["Logging__LogLevel__Default"] = "Warning";
        info.Environment["DOTNET_gcServer"] = "0";
        foreach (var (key, value) in settings ?? new Dictionary<string, string>())
        {
            info.Environment[key] = value;
        }

        var started = DateTime.UtcNow;
        var process = Process.Start(info) ?? throw new InvalidOperationException("the local host did not start");
        var errors = new StringBuilder();
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, e) => { lock (errors) { errors.AppendLine(e.Data); } };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return new ProductProcess(process, errors, new Uri($"http://127.0.0.1:{port}/"), started);
    }

    /// <summary>Throws when the process has exited.</summary>
    public void EnsureRunning()
    {
        if (_process.HasExited)
        {
            lock (_errors)
            {
                throw new InvalidOperationException($"the local host exited with {_process.ExitCode}: {_errors}");
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }
}
