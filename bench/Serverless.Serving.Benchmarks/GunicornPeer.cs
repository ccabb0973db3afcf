using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Serverless.Serving.Benchmarks;

/// <summary>
/// The tuned peer: flask_baseline.py under Debian's gunicorn, 2 sync workers, OMP_NUM_THREADS=1, on a free loopback port.
/// </summary>
public sealed class GunicornPeer : IAsyncDisposable
{
    public const string Description = "Flask + scikit-learn HistGradientBoostingClassifier under gunicorn (2 sync workers, --preload, OMP_NUM_THREADS=1)";
    private readonly Process _process;

    private GunicornPeer(Process process, Uri baseAddress)
    {
        _process = process;
        BaseAddress = baseAddress;
    }

    public Uri BaseAddress { get; }

    public static async Task<GunicornPeer> StartAsync(string csvPath, string label)
    {
        var port = FreePort().ToString(CultureInfo.InvariantCulture);
        var info = new ProcessStartInfo("/usr/bin/gunicorn", ["--workers", "2", "--worker-class", "sync", "--preload", "--bind", "127.0.0.1:" + port, "--chdir", AppContext.BaseDirectory, "--log-level", "warning", "flask_baseline:app"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        info.Environment["OMP_NUM_THREADS"] = "1";
        info.Environment["OPENBLAS_NUM_THREADS"] = "1";
        info.Environment["BENCH_DATA"] = csvPath;
        info.Environment["BENCH_LABEL"] = label;
        var process = Process.Start(info) ?? throw new InvalidOperationException("gunicorn did not start (apt-get install gunicorn python3-flask python3-sklearn)");
        var errors = new System.Text.StringBuilder();
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, e) => { lock (errors) { errors.AppendLine(e.Data); } };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var peer = new GunicornPeer(process, new Uri($"http://127.0.0.1:{port}/"));
        using var client = new HttpClient { BaseAddress = peer.BaseAddress };
        var deadline = DateTime.UtcNow.AddSeconds(90);
        while (DateTime.UtcNow < deadline)
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"gunicorn exited with {process.ExitCode}: {errors}");
            }

            try
            {
                if ((await client.GetAsync("health")).StatusCode == HttpStatusCode.OK)
                {
                    return peer;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }

            await Task.Delay(200);
        }

        await peer.DisposeAsync();
        throw new TimeoutException("gunicorn did not answer within 90 s");
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

    internal static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
