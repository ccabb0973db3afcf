using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Serverless.Storage;
using Serverless.Testing.Host;
using Xunit;

namespace Serverless.Functions.Uploads.Tests;

/// <summary>Bring your own ONNX on the composed product over real HTTP: python3-onnx models uploaded to <c>model-uploads</c>.</summary>
public sealed partial class ModelUploadHostTests(ModelUploadHostTests.ProductHost host) : IClassFixture<ModelUploadHostTests.ProductHost>
{
    /// <summary>The product with a 4 KB upload limit (the fixtures are under 0.5 KB), so "oversized" stays small.</summary>
    public sealed class ProductHost : FunctionsHostFixture
    {
        public const long MaxModelBytes = 4096;

        protected override FunctionsTestHostOptions Configure(FunctionsTestHostOptions options) => options with
        {
            IncludeProduct = true,
            Settings = new Dictionary<string, string?> { ["ModelUploads:MaxModelBytes"] = MaxModelBytes.ToString(CultureInfo.InvariantCulture) },
        };
    }

    [Fact]
    public async Task A_tabular_upload_with_a_sidecar_is_evaluated_registered_promoted_and_served()
    {
        var admin = host.CreateClient();
        var blobs = host.Services.GetRequiredService<IBlobStore>();
        var datasets = host.Host.Options.DatasetsContainer;
        var uploads = host.Host.Options.ModelUploadsContainer;
        await blobs.CreateContainerIfNotExistsAsync(datasets);
        await blobs.CreateContainerIfNotExistsAsync(uploads);

        // A dataset version to evaluate on (ingested by the product), and the uploaded model's project with a gate.
        await EnsureLinearDatasetAsync();
        await blobs.UploadTextAsync(datasets, "byolin/project.json", """{ "label": "y", "gates": { "min": { "r2": 0.95 } } }""");
        await WaitUntilAsync(async () => (await admin.GetAsync("api/projects/byolin")).StatusCode == HttpStatusCode.OK, "the spec to apply");

        await blobs.UploadTextAsync(uploads, "byolin/v1/model.json", """{ "task": "regression", "label": "y", "evaluationDataset": { "project": "lindata", "version": 1 } }""");
        await blobs.UploadBytesAsync(uploads, "byolin/v1/model.onnx", UploadFixtures.LinearRegressor);
        var report = await WaitForUploadAsync(admin, "byolin");

        Assert.True(report.GetProperty("status").GetString() == "Promoted", report.ToString());
        Assert.Equal("tabular", report.GetProperty("kind").GetString());
        var evaluation = report.GetProperty("evaluation");
        Assert.Equal("lindata version 1", evaluation.GetProperty("dataset").GetString());
        Assert.True(evaluation.GetProperty("metrics").GetProperty("r2").GetDouble() > 0.95);
        Assert.Equal("min.r2", Assert.Single(evaluation.GetProperty("gates").EnumerateArray()).GetProperty("gate").GetString());

        var version = await admin.GetFromJsonAsync<JsonElement>("api/models/byolin/versions/1");
        var lineage = version.GetProperty("lineage");
        Assert.Equal("uploaded", lineage.GetProperty("source").GetString());
        Assert.Equal($"{uploads}/byolin/v1/model.onnx", lineage.GetProperty("uploadPath").GetString());
        Assert.Equal($"{uploads}/byolin/v1/model.json", lineage.GetProperty("uploadSidecar").GetString());
        Assert.Equal(report.GetProperty("contentHash").GetString(), lineage.GetProperty("uploadHash").GetString());
        Assert.Equal(1, lineage.GetProperty("datasetVersion").GetInt32());
        var model = await admin.GetFromJsonAsync<JsonElement>("api/models/byolin");
        Assert.Equal(1, model.GetProperty("aliases").GetProperty("production").GetInt32());

        var predict = await admin.PostAsJsonAsync("api/models/byolin/predict", new { instances = new[] { new { x1 = 1.0, x2 = 2.0 }, new { x1 = 0.5, x2 = -1.0 } } });
        var prediction = await predict.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(predict.StatusCode == HttpStatusCode.OK, prediction.ToString());
        Assert.Equal(-3.0, prediction.GetProperty("predictions")[0].GetProperty("value").GetDouble(), 4);
        Assert.Equal(5.0, prediction.GetProperty("predictions")[1].GetProperty("value").GetDouble(), 4);

        var infer = await PostJsonAsync(admin, "v2/models/byolin/infer", """
            { "id": "lin", "inputs": [
              { "name": "x1", "shape": [1, 1], "datatype": "FP32", "data": [1] },
              { "name": "x2", "shape": [1, 1], "datatype": "FP32", "data": [2] } ] }
            """);
        var value = infer.GetProperty("outputs").EnumerateArray().Single(o => o.GetProperty("name").GetString() == "value");
        Assert.Equal(-3.0, value.GetProperty("data")[0].GetDouble(), 4);
    }

    [Fact]
    public async Task An_upload_that_fails_the_projects_gates_is_registered_but_not_promoted()
    {
        var admin = host.CreateClient();
        var blobs = host.Services.GetRequiredService<IBlobStore>();
        var uploads = host.Host.Options.ModelUploadsContainer;
        await EnsureLinearDatasetAsync();
        await blobs.UploadTextAsync(host.Host.Options.DatasetsContainer, "byogate/project.json", """{ "label": "y", "gates": { "min": { "rmse": 0.0001 } } }""");
        await WaitUntilAsync(async () => (await admin.GetAsync("api/projects/byogate")).StatusCode == HttpStatusCode.OK, "the spec to apply");
        await blobs.CreateContainerIfNotExistsAsync(uploads);
        await blobs.UploadTextAsync(uploads, "byogate/model.json", """{ "evaluationDataset": { "project": "lindata", "version": 1 } }""");
        await blobs.UploadBytesAsync(uploads, "byogate/model.onnx", UploadFixtures.LinearRegressor);

        var report = await WaitForUploadAsync(admin, "byogate");

        Assert.True(report.GetProperty("status").GetString() == "Registered", report.ToString());
        Assert.Contains("gates not passed: rmse", report.GetProperty("promotion").GetString(), StringComparison.Ordinal);
        var model = await admin.GetFromJsonAsync<JsonElement>("api/models/byogate");
        Assert.False(model.GetProperty("aliases").TryGetProperty("production", out _));
        Assert.Equal("uploaded", model.GetProperty("versions")[0].GetProperty("source").GetString());
    }

    [Fact]
    public async Task A_tensor_upload_is_registered_and_serves_raw_tensors_through_open_inference()
    {
        var admin = host.CreateClient();
        var blobs = host.Services.GetRequiredService<IBlobStore>();
        var uploads = host.Host.Options.ModelUploadsContainer;
        await blobs.CreateContainerIfNotExistsAsync(uploads);
        await blobs.UploadBytesAsync(uploads, "byotensor/classifier.onnx", UploadFixtures.TensorClassifier);

        var report = await WaitForUploadAsync(admin, "byotensor");

        Assert.True(report.GetProperty("status").GetString() == "Promoted", report.ToString());
        Assert.Equal("tensor", report.GetProperty("kind").GetString());
        var version = await admin.GetFromJsonAsync<JsonElement>("api/models/byotensor/versions/1");
        Assert.Equal("uploaded", version.GetProperty("lineage").GetProperty("source").GetString());

        var infer = await PostJsonAsync(admin, "v2/models/byotensor/infer", """
            { "inputs": [ { "name": "features", "shape": [2, 4], "datatype": "FP32", "data": [0, 5, 0, 0, 3, 0, 0, 0] } ] }
            """);
        var outputs = infer.GetProperty("outputs").EnumerateArray().ToDictionary(o => o.GetProperty("name").GetString()!);
        Assert.Equal("INT64", outputs["class_index"].GetProperty("datatype").GetString());
        Assert.Equal([1L, 0L], outputs["class_index"].GetProperty("data").EnumerateArray().Select(d => d.GetInt64()));
        Assert.Equal([2L, 3L], outputs["probabilities"].GetProperty("shape").EnumerateArray().Select(d => d.GetInt64()));
    }

    public static TheoryData<string, string, string?, string> Rejections => new()
    {
        { "byojunk", "junk", null, "is not accepted: not an ONNX model (protobuf:" },
        { "byobig", "oversized", null, $"the limit is {ProductHost.MaxModelBytes} bytes" },
        { "byofp16", "fp16", null, "input 'x' is Float16" },
        { "byocontra", "linear", """{ "task": "multiclass", "classes": ["a", "b"] }""", "sidecar field 'task' says multiclass; the model's signature says regression" },
        { "byonodata", "linear", """{ "evaluationDataset": { "project": "nosuchproject", "version": 3 } }""", "sidecar field 'evaluationDataset'" },
    };

    [Theory]
    [MemberData(nameof(Rejections))]
    public async Task Bad_uploads_are_rejected_with_a_reason_and_register_nothing(string model, string content, string? sidecar, string reason)
    {
        var admin = host.CreateClient();
        var blobs = host.Services.GetRequiredService<IBlobStore>();
        var uploads = host.Host.Options.ModelUploadsContainer;
        await blobs.CreateContainerIfNotExistsAsync(uploads);
        if (sidecar is not null)
        {
            await blobs.UploadTextAsync(uploads, $"{model}/m.json", sidecar);
        }

        var bytes = content switch
        {
            "junk" => Encoding.UTF8.GetBytes("definitely not protobuf"),
            "oversized" => [.. UploadFixtures.LinearRegressor, .. new byte[ProductHost.MaxModelBytes]],
            "fp16" => UploadFixtures.UnsupportedFp16,
            _ => UploadFixtures.LinearRegressor,
        };
        await blobs.UploadBytesAsync(uploads, $"{model}/m.onnx", bytes);

        var report = await WaitForUploadAsync(admin, model);

        Assert.True(report.GetProperty("status").GetString() == "Rejected", report.ToString());
        Assert.Contains(reason, report.GetProperty("reason").GetString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, (await admin.GetAsync($"api/models/{model}")).StatusCode);
    }

    [Fact]
    public async Task The_uploads_api_needs_a_key_and_lists_nothing_for_an_unknown_model()
    {
        Assert.Equal(HttpStatusCode.Unauthorized, (await host.Client.GetAsync("api/models/byonone/uploads")).StatusCode);
        var listed = await host.CreateClient().GetFromJsonAsync<JsonElement>("api/models/byonone/uploads");
        Assert.Equal(0, listed.GetProperty("uploads").GetArrayLength());
    }

    private static readonly SemaphoreSlim DatasetGate = new(1, 1);

    /// <summary>Dataset version 1 of project <c>lindata</c> (y = 2 x1 - 3 x2 + 1 + noise), ingested once per host by the product.</summary>
    private async Task EnsureLinearDatasetAsync()
    {
        var admin = host.CreateClient();
        var blobs = host.Services.GetRequiredService<IBlobStore>();
        var datasets = host.Host.Options.DatasetsContainer;
        await DatasetGate.WaitAsync();
        try
        {
            if ((await admin.GetAsync("api/projects/lindata")).StatusCode != HttpStatusCode.OK)
            {
                await blobs.CreateContainerIfNotExistsAsync(datasets);
                await blobs.UploadTextAsync(datasets, "lindata/project.json", """{ "label": "y", "trainers": ["linear"] }""");
                await WaitUntilAsync(async () => (await admin.GetAsync("api/projects/lindata")).StatusCode == HttpStatusCode.OK, "the lindata spec to apply");
                await blobs.UploadTextAsync(datasets, "lindata/data.csv", LinearData(200));
            }

            await WaitUntilAsync(async () =>
            {
                var listed = await admin.GetFromJsonAsync<JsonElement>("api/projects/lindata/datasets");
                return listed.GetProperty("versions").GetArrayLength() == 1;
            }, "dataset version 1 of lindata", TimeSpan.FromMinutes(2));
        }
        finally
        {
            DatasetGate.Release();
        }
    }

    private static string LinearData(int rows)
    {
        var random = new Random(7);
        var csv = new StringBuilder("x1,x2,y\n");
        for (var i = 0; i < rows; i++)
        {
            var x1 = Math.Round(random.NextDouble() * 10 - 5, 3);
            var x2 = Math.Round(random.NextDouble() * 10 - 5, 3);
            var y = (2 * x1) - (3 * x2) + 1 + ((random.NextDouble() - 0.5) * 0.1);
            csv.Append(CultureInfo.InvariantCulture, $"{x1},{x2},{y:0.####}\n");
        }

        return csv.ToString();
    }

    private static async Task<JsonElement> PostJsonAsync(HttpClient client, string path, string json)
    {
        using var response = await client.PostAsync(path, new StringContent(json, Encoding.UTF8, "application/json"));
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{path}: {(int)response.StatusCode} {body}");
        return body;
    }

    /// <summary>The model's single upload once its orchestration has finished.</summary>
    private static async Task<JsonElement> WaitForUploadAsync(HttpClient admin, string model)
    {
        JsonElement report = default;
        await WaitUntilAsync(async () =>
        {
            var listed = await admin.GetFromJsonAsync<JsonElement>($"api/models/{model}/uploads");
            var upload = listed.GetProperty("uploads").EnumerateArray().FirstOrDefault();
            if (upload.ValueKind == JsonValueKind.Undefined)
            {
                return false;
            }

            Assert.True(upload.GetProperty("runtimeStatus").GetString() != "Failed", upload.ToString());
            report = upload.GetProperty("report");
            return upload.GetProperty("runtimeStatus").GetString() == "Completed";
        }, $"the upload of {model} to finish", TimeSpan.FromMinutes(1));
        return report;
    }

    private static async Task WaitUntilAsync(Func<Task<bool>> condition, string what, TimeSpan? timeout = null)
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
}
