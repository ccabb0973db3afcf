using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Serverless.Serving.Benchmarks;

/// <summary>Starts flask_baseline.py (Debian's python3, python3-flask, python3-sklearn) on a free loopback port.</summary>
public sealed class FlaskBaseline : IAsyncDisposable
{
    private readonly Process _process;

    private FlaskBaseline(Process process, Uri baseAddress)
    {
        _process = process;
        BaseAddress = baseAddress;
    }

    public Uri BaseAddress { get; }

    public static async Task<FlaskBaseline> StartAsync(string csvPath, string label)
    {
        var port = FreePort();
        var script = Path.Combine(AppContext.BaseDirectory, "flask_baseline.py");
        var python = File.Exists("/usr/bin/python3") ? "/usr/bin/python3" : "python3";
        var process = Process.Start(new ProcessStartInfo(python, [script, csvPath, label, port.ToString(System.Globalization.CultureInfo.InvariantCulture)])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        }) ?? throw new InvalidOperationException("python3 did not start");
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var baseline = new FlaskBaseline(process, new Uri($"http://127.0.0.1:{port}/"));
        using var client = new HttpClient { BaseAddress = baseline.BaseAddress };
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (DateTime.UtcNow < deadline)
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"flask_baseline.py exited with {process.ExitCode} (python3-flask and python3-sklearn installed?)");
            }

            try
            {
                if ((await client.GetAsync("health")).StatusCode == HttpStatusCode.OK)
                {
                    return baseline;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }

            await Task.Delay(200);
        }

        await baseline.DisposeAsync();
        throw new TimeoutException("flask_baseline.py did not answer within 60 s");
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

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
