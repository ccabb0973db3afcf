using System.Diagnostics;
using System.Text.Json;

namespace Serverless.Training.Benchmarks;

/// <summary>
/// The honest baseline: <c>sklearn_baseline.py</c> (numpy.loadtxt, HistGradientBoostingClassifier with 100 iterations
/// and 31 leaves, AUC on a held-out 20 %) run by <c>/usr/bin/python3</c>, which has numpy and scikit-learn (the
/// <c>python3</c> on PATH may not). Its time is the whole process, interpreter start and imports included.
/// </summary>
public static class SklearnRun
{
    public const string Python = "/usr/bin/python3";

    public static async Task<BenchmarkMeasurement> RunAsync(string csv, int seed, JsonSerializerOptions json)
    {
        var script = Path.Combine(AppContext.BaseDirectory, "sklearn_baseline.py");
        var start = new ProcessStartInfo(Python) { RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var a in new[] { script, csv, seed.ToString(System.Globalization.CultureInfo.InvariantCulture) })
        {
            start.ArgumentList.Add(a);
        }

        var watch = Stopwatch.StartNew();
        using var child = Process.Start(start)!;
        BenchmarkMeasurement? result = null;
        while (await child.StandardOutput.ReadLineAsync().ConfigureAwait(false) is { } line)
        {
            if (line.StartsWith("RESULT ", StringComparison.Ordinal))
            {
                result = JsonSerializer.Deserialize<BenchmarkMeasurement>(line["RESULT ".Length..], json);
            }
        }

        await child.WaitForExitAsync().ConfigureAwait(false);
        watch.Stop();
        return (result ?? throw new InvalidOperationException($"{Python} {script} ended with exit code {child.ExitCode} and no result."))
            with { Seconds = watch.Elapsed.TotalSeconds };
    }
}
