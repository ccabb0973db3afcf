using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;

namespace Serverless.Serving.Benchmarks;

/// <summary>One wrk run on loopback: a fixed POST body, bounded duration and connections.</summary>
/// <summary>One wrk run's figures, and the 1-minute load average read right after it.</summary>
public sealed partial record WrkResult(string Name, double RequestsPerSecond, double P50Ms, double P99Ms, long Requests, long Errors, string LoadAverage);

public static partial class WrkRun
{
    public const int Threads = 1;
    public const int Connections = 16;

    public static async Task<WrkResult> RunAsync(string name, Uri url, string body, string contentType, string? functionKey, TimeSpan duration)
    {
        var script = Path.Combine(Path.GetTempPath(), $"wrk-{Guid.NewGuid():N}.lua");
        var key = functionKey is null ? string.Empty : $"wrk.headers[\"x-functions-key\"] = \"{functionKey}\"\n";
        await File.WriteAllTextAsync(script, $"wrk.method = \"POST\"\nwrk.body = [[{body}]]\nwrk.headers[\"Content-Type\"] = \"{contentType}\"\n{key}");
        try
        {
            var info = new ProcessStartInfo("wrk", [$"-t{Threads}", $"-c{Connections}", $"-d{(int)duration.TotalSeconds}s", "--latency", "-s", script, url.ToString()])
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            };
            using var process = Process.Start(info) ?? throw new InvalidOperationException("wrk did not start (install it: apt-get install wrk).");
            var output = await process.StandardOutput.ReadToEndAsync();
            await process.WaitForExitAsync();
            if (process.ExitCode != 0)
            {
                throw new InvalidOperationException($"wrk failed: {output}{await process.StandardError.ReadToEndAsync()}");
            }

            var rps = double.Parse(RequestsPerSecond().Match(output).Groups[1].Value, CultureInfo.InvariantCulture);
            var requests = long.Parse(Requests().Match(output).Groups[1].Value, CultureInfo.InvariantCulture);
            var errors = NonSuccess().Match(output) is { Success: true } m ? long.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture) : 0;
            errors += SocketErrors().Matches(output).Sum(e => long.Parse(e.Groups[1].Value, CultureInfo.InvariantCulture));
            return new WrkResult(name, rps, Percentile(output, "50"), Percentile(output, "99"), requests, errors, LoadAverage());
        }
        finally
        {
            File.Delete(script);
        }
    }

    /// <summary>The 1-minute load average now (the machine's business during a run).</summary>
    public static string LoadAverage() => File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Split(' ')[0] : "?";

    private static double Percentile(string output, string p)
    {
        var match = Regex.Match(output, $@"^\s*{p}%\s+([\d.]+)(us|ms|s)\s*$", RegexOptions.Multiline);
        var value = double.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
        return match.Groups[2].Value switch { "us" => value / 1000, "ms" => value, _ => value * 1000 };
    }

    [GeneratedRegex(@"Requests/sec:\s+([\d.]+)")]
    private static partial Regex RequestsPerSecond();

    [GeneratedRegex(@"(\d+) requests in")]
    private static partial Regex Requests();

    [GeneratedRegex(@"Non-2xx or 3xx responses: (\d+)")]
    private static partial Regex NonSuccess();

    [GeneratedRegex(@"(?:connect|read|write|timeout) (\d+)")]
    private static partial Regex SocketErrors();
}
