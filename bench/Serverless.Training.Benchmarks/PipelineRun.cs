using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Serverless.Storage;
using Serverless.Storage.Azure.Azurite;
using Serverless.Testing.Host;

namespace Serverless.Training.Benchmarks;

/// <summary>
/// The product's side: the real host (whole product, real Kestrel) on Azurite; the CSV is uploaded to
/// <c>datasets/bench/</c> with a spec naming the label and pinning LightGBM to the bare run's parameters; the
/// time runs from the start of the upload until the <c>production</c> alias points at the new model. Steps and their
/// phases are the run report's (<c>durationMs</c>, <c>phasesMs</c> of GET /api/runs/{id}).
/// </summary>
public static class PipelineRun
{
    private const string Project = "bench";

    private const string Spec = """
        { "label": "label", "task": "binary", "trainers": ["lightgbm"],
          "sweep": { "lightgbm": { "numberOfLeaves": [31], "learningRate": [0.1], "numberOfTrees": [100], "minimumExampleCountPerLeaf": [20] } },
          "split": { "test": 0.2, "validation": 0.1, "seed": 42 } }
        """;

    public static async Task<BenchmarkMeasurement> RunAsync(string csv, CancellationToken cancellationToken)
    {
        var location = Path.Combine(Path.GetTempPath(), "training-bench-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(location);
        try
        {
            await using var azurite = await AzuriteServer.StartAsync(new AzuriteOptions { Location = location }, NullLogger.Instance, cancellationToken).ConfigureAwait(false);
            await using var host = await FunctionsTestHost.StartAsync(new FunctionsTestHostOptions
            {
                StorageConnectionString = azurite.ConnectionString,
                IncludeProduct = true,
                ConfigureLogging = logging => logging.SetMinimumLevel(LogLevel.Warning),
            }, cancellationToken).ConfigureAwait(false);
            var blobs = host.Services.GetRequiredService<IBlobStore>();
            var admin = host.CreateClient();
            admin.Timeout = TimeSpan.FromMinutes(5);
            await blobs.CreateContainerIfNotExistsAsync(host.Options.DatasetsContainer, cancellationToken).ConfigureAwait(false);
            await blobs.UploadTextAsync(host.Options.DatasetsContainer, $"{Project}/project.json", Spec, cancellationToken: cancellationToken).ConfigureAwait(false);
            while (!(await admin.GetAsync($"api/projects/{Project}", cancellationToken).ConfigureAwait(false)).IsSuccessStatusCode)
            {
                await Task.Delay(100, cancellationToken).ConfigureAwait(false);
            }

            var watch = Stopwatch.StartNew();
            await using (var file = File.OpenRead(csv))
            {
                await blobs.UploadAsync(host.Options.DatasetsContainer, $"{Project}/synthetic.csv", file, cancellationToken: cancellationToken).ConfigureAwait(false);
            }

            var uploaded = watch.Elapsed.TotalSeconds;
            JsonElement run = default;
            while (true)
            {
                var runs = await admin.GetFromJsonAsync<JsonElement>($"api/runs?project={Project}", cancellationToken).ConfigureAwait(false);
                var first = runs.GetProperty("runs").EnumerateArray().FirstOrDefault();
                var status = first.ValueKind == JsonValueKind.Object ? first.GetProperty("status").GetString() : null;
                if (status is "Promoted")
                {
                    run = await admin.GetFromJsonAsync<JsonElement>($"api/runs/{first.GetProperty("id").GetString()}", cancellationToken).ConfigureAwait(false);
                    break;
                }

                if (status is "Failed" or "Rejected" or "Registered")
                {
                    throw new InvalidOperationException($"The benchmark run ended {status}: {await admin.GetStringAsync($"api/runs/{first.GetProperty("id").GetString()}", cancellationToken).ConfigureAwait(false)}");
                }

                await Task.Delay(100, cancellationToken).ConfigureAwait(false);
            }

            watch.Stop();
            var challenger = run.GetProperty("evaluation").GetProperty("challenger");
            var steps = new List<StepTiming> { new("upload (blob write)", uploaded) };
            foreach (var step in run.GetProperty("steps").EnumerateArray())
            {
                var name = step.GetProperty("name").GetString()!;
                steps.Add(new StepTiming(name, step.GetProperty("durationMs").GetDouble() / 1000));
                if (step.TryGetProperty("phasesMs", out var phases) && phases.ValueKind == JsonValueKind.Object)
                {
                    steps.AddRange(phases.EnumerateObject().Select(p => new StepTiming($"{name}: {p.Name}", p.Value.GetDouble() / 1000, IsPhase: true)));
                }
            }
            using var process = Process.GetCurrentProcess();
            process.Refresh();
            return new BenchmarkMeasurement("pipeline", watch.Elapsed.TotalSeconds, process.PeakWorkingSet64,
                challenger.GetProperty("auc").GetDouble(), challenger.GetProperty("accuracy").GetDouble(), steps);
        }
        finally
        {
            try
            {
                Directory.Delete(location, recursive: true);
            }
            catch (IOException)
            {
                // Azurite may still hold a file for a moment; the temp folder is cleaned by the OS.
            }
        }
    }
}
