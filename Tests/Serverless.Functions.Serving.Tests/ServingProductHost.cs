using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Serverless.Registry;
using Serverless.Storage;
using Serverless.Testing;
using Serverless.Testing.Host;

namespace Serverless.Functions.Serving.Tests;

/// <summary>
/// The whole product on a real host, with model <c>wine</c> trained by the pipeline from the shared wine data
/// (version 1, production), the same ONNX registered again as version 2 (a challenger), and version 3 whose ONNX
/// is not a model at all (a shadow that fails).
/// </summary>
public sealed class ServingProductHost : FunctionsHostFixture
{
    public const string Model = "wine";

    private readonly Lazy<Task> _models;

    public ServingProductHost() => _models = new Lazy<Task>(PrepareModelsAsync);

    public Task EnsureModelsAsync() => _models.Value;

    protected override FunctionsTestHostOptions Configure(FunctionsTestHostOptions options) => options with { IncludeProduct = true };

    public static async Task WaitUntilAsync(Func<Task<bool>> condition, string what, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(30));
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Waited too long for {what}.");
            }

            await Task.Delay(250);
        }
    }

    private async Task PrepareModelsAsync()
    {
        var blobs = Services.GetRequiredService<IBlobStore>();
        var datasets = Host.Options.DatasetsContainer;
        await blobs.CreateContainerIfNotExistsAsync(datasets);
        await blobs.UploadTextAsync(datasets, Model + "/project.json", """{ "label": "cultivar", "trainers": ["lightgbm"] }""");
        var admin = CreateClient();
        await WaitUntilAsync(async () => (await admin.GetAsync("api/projects/" + Model)).StatusCode == HttpStatusCode.OK, "the spec to apply");
        await blobs.UploadBytesAsync(datasets, Model + "/2026/wine.csv", await File.ReadAllBytesAsync(SharedData.PathOf("wine.csv")));
        await WaitUntilAsync(async () =>
        {
            var model = await admin.GetAsync("api/models/" + Model);
            return model.StatusCode == HttpStatusCode.OK
                && (await model.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("aliases").TryGetProperty("production", out _);
        }, "the pipeline to promote version 1", TimeSpan.FromMinutes(4));

        var registry = Services.GetRequiredService<ModelRegistry>();
        var first = await registry.GetVersionAsync(Model, 1);
        var onnx = await registry.LoadOnnxAsync(first);
        var lineage = first.Lineage with { Source = "test" };
        await registry.RegisterAsync(new ModelRegistration(Model, "challenger", first.Signature, first.Metrics, lineage, onnx), DateTimeOffset.UtcNow);
        await registry.RegisterAsync(new ModelRegistration(Model, "broken", first.Signature, first.Metrics, lineage, "not an onnx model"u8.ToArray()), DateTimeOffset.UtcNow);
    }
}
