using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;

namespace Serverless.Serving.Benchmarks;

/// <summary>
/// dotnet-trace and dotnet-counters against a running host: found in <c>SERVING_BENCH_TOOLS</c> (run.sh installs them
/// there with <c>dotnet tool install --tool-path</c>), else on the PATH.
/// </summary>
public static partial class DiagnosticTools
{
    /// <summary>Collects CPU samples (<c>dotnet-sampled-thread-time</c>) of <paramref name="processId"/> for <paramref name="duration"/> into <paramref name="output"/>.</summary>
    public static Task TraceAsync(int processId, TimeSpan duration, string output) =>
        RunAsync("dotnet-trace", ["collect", "-p", Id(processId), "--profile", "dotnet-sampled-thread-time", "--duration", Span(duration), "-o", output]);

    /// <summary>
    /// Collects the runtime's counters of <paramref name="processId"/> for <paramref name="duration"/>: bytes allocated
    /// per second (<c>dotnet.gc.heap.total_allocated</c>), GCs by generation (<c>dotnet.gc.collections</c>) and the
    /// time the process was paused for GCs (<c>dotnet.gc.pause.time</c>).
    /// </summary>
    public static async Task<RuntimeCounters> RuntimeCountersAsync(int processId, TimeSpan duration)
    {
        var csv = Path.Combine(Path.GetTempPath(), $"serving-counters-{Guid.NewGuid():N}.csv");
        try
        {
            await RunAsync("dotnet-counters", ["collect", "-p", Id(processId), "--counters", "System.Runtime[dotnet.gc.heap.total_allocated,dotnet.gc.collections,dotnet.gc.pause.time]", "--format", "csv", "-o", csv, "--duration", Span(duration)]);
            double allocated = 0, pause = 0;
            var collections = new SortedDictionary<string, double>(StringComparer.Ordinal);
            DateTime? first = null, last = null;
            foreach (var line in (await File.ReadAllLinesAsync(csv)).Skip(1))
            {
                // Timestamp,Provider,Counter Name[tags],Counter Type,Mean/Increment
                var fields = line.Split(',');
                if (fields.Length < 5 || !double.TryParse(fields[^1], NumberStyles.Float, CultureInfo.InvariantCulture, out var value))
                {
                    continue;
                }

                var time = DateTime.Parse(fields[0], CultureInfo.InvariantCulture);
                first ??= time;
                last = time;
                var name = string.Join(',', fields[2..^2]);
                if (name.Contains("total_allocated", StringComparison.Ordinal))
                {
                    allocated += value;
                }
                else if (name.Contains("pause.time", StringComparison.Ordinal))
                {
                    pause += value;
                }
                else if (name.Contains("collections", StringComparison.Ordinal))
                {
                    var generation = Generation().Match(name) is { Success: true } g ? g.Value : "all"; // tag gc.heap.generation=gen0
                    collections[generation] = collections.GetValueOrDefault(generation) + value;
                }
            }

            var seconds = first is { } f && last is { } l && l > f ? (l - f).TotalSeconds + 1 : duration.TotalSeconds;
            return new RuntimeCounters(allocated / seconds, collections, pause, seconds);
        }
        finally
        {
            File.Delete(csv);
        }
    }

    /// <summary>Converts a trace to Speedscope (<c>dotnet-trace convert</c>) and returns the file written.</summary>
    public static async Task<string> ToSpeedscopeAsync(string trace)
    {
        var output = Path.ChangeExtension(trace, ".json");
        await RunAsync("dotnet-trace", ["convert", "--format", "Speedscope", trace, "-o", output]);
        // dotnet-trace adds its own ".speedscope" before the extension
        return File.Exists(output) ? output : Path.ChangeExtension(trace, ".speedscope.json");
    }

    [GeneratedRegex(@"gen\d")]
    private static partial Regex Generation();

    private static string Id(int value) => value.ToString(CultureInfo.InvariantCulture);

    private static string Span(TimeSpan duration) => duration.ToString(@"dd\:hh\:mm\:ss", CultureInfo.InvariantCulture);

    private static async Task<string> RunAsync(string tool, string[] arguments)
    {
        var info = new ProcessStartInfo(Locate(tool), arguments) { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true };
        using var process = Process.Start(info) ?? throw new InvalidOperationException($"{tool} did not start");
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{tool} {string.Join(' ', arguments)} failed ({process.ExitCode}): {await output}{await errors}");
        }

        return await output;
    }

    private static string Locate(string tool)
    {
        var dir = Environment.GetEnvironmentVariable("SERVING_BENCH_TOOLS");
        if (!string.IsNullOrEmpty(dir) && File.Exists(Path.Combine(dir, tool)))
        {
            return Path.Combine(dir, tool);
        }

        return (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(':')
            .Select(p => Path.Combine(p, tool)).FirstOrDefault(File.Exists)
            ?? throw new FileNotFoundException($"{tool} not found: run.sh --profile-only installs it (dotnet tool install --tool-path), or set SERVING_BENCH_TOOLS.");
    }
}
