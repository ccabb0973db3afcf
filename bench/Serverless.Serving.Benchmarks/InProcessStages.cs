using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Serverless.Storage;
using Serverless.Storage.Azure.Azurite;
using Serverless.Testing.Host;

namespace Serverless.Serving.Benchmarks;

/// <summary>
/// Last part of <c>--profile-only</c>: the product host in this process (so its services can be timed one by one), a stage profile
/// of one predict request (<see cref="StageProfile"/>) and ONNX Runtime session settings compared.
/// </summary>
public static class InProcessStages
{
    public static async Task RunAsync(BenchmarkDataset data, string body)
    {
        ArgumentNullException.ThrowIfNull(data);
        await using var azurite = await AzuriteServer.StartAsync(new AzuriteOptions { Location = Directory.CreateTempSubdirectory("serving-profile-").FullName, InMemory = true }, NullLogger.Instance);
        await using var host = await FunctionsTestHost.StartAsync(new FunctionsTestHostOptions
        {
            StorageConnectionString = azurite.ConnectionString,
            IncludeProduct = true,
            FunctionClasses = [typeof(ConstantFunctions)],
        });
        var admin = host.CreateClient();
        var blobs = host.Services.GetRequiredService<IBlobStore>();
        var datasets = host.Options.DatasetsContainer;
        await blobs.CreateContainerIfNotExistsAsync(datasets);
        await blobs.UploadTextAsync(datasets, "bench/project.json", $$"""{ "label": "{{BenchmarkDataset.Label}}", "trainers": ["lightgbm"] }""");
        await WaitUntilAsync(async () => (await admin.GetAsync("api/projects/bench")).StatusCode == HttpStatusCode.OK, TimeSpan.FromSeconds(60));
        await blobs.UploadBytesAsync(datasets, "bench/data.csv", data.ScoringCsvWithLabels());
        await WaitUntilAsync(async () => (await admin.GetAsync("api/models/bench")).StatusCode == HttpStatusCode.OK
            && (await admin.GetFromJsonAsync<JsonElement>("api/models/bench")).GetProperty("aliases").TryGetProperty("production", out _), TimeSpan.FromMinutes(5));
        using (var warm = await admin.PostAsync("api/models/bench/predict", new StringContent(body, Encoding.UTF8, "application/json")))
        {
            Console.WriteLine($"predict warm-up: {(int)warm.StatusCode} {await warm.Content.ReadAsStringAsync()}");
        }

        Console.WriteLine("Stage profile (in-process, one thread):");
        var batchCsv = Encoding.UTF8.GetString(data.ScoringCsv(5000));
        var stages = await StageProfile.RunAsync(host.Services, admin, "bench", body, batchCsv, host.MasterKey);
        Console.WriteLine(StageProfile.ToMarkdown(stages));
        Console.WriteLine("ONNX Runtime session settings (in-process, one thread):");
        SessionOptionsProfile.Run(await admin.GetByteArrayAsync("api/models/bench/versions/1/onnx"), data, 5000);
    }

    private static async Task WaitUntilAsync(Func<Task<bool>> condition, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException("The benchmark model was not promoted in time.");
            }

            await Task.Delay(250);
        }
    }
}
