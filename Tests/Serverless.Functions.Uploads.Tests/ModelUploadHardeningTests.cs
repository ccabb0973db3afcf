using System.Security.Cryptography;
using Microsoft.DurableTask;
using Microsoft.Extensions.DependencyInjection;
using Serverless.Orchestrations.Artifacts;
using Serverless.Orchestrations.ModelUploads;
using Serverless.Orchestrations.ModelUploads.Activities;
using Serverless.Registry;
using Serverless.Storage;
using Xunit;

namespace Serverless.Functions.Uploads.Tests;

/// <summary>
/// Issue 14 on bring-your-own ONNX, on the composed product over Azurite and ONNX Runtime: crafted models are rejected
/// before loading and change nothing stored; and the validated bytes are pinned.
/// </summary>
public sealed partial class ModelUploadHostTests
{
    public static TheoryData<string, string> CraftedModels => new()
    {
        { "etc-passwd", "initializer 'stolen' keeps its data outside the model (location '/etc/passwd'); external data is not accepted" },
        { "dot-dot", "initializer 'stolen' keeps its data outside the model (location '../secret'); external data is not accepted" },
        { "custom-domain", "opset_import names the custom operator domain 'com.evil'" },
        { "absurd-shape", "node 'fill' (ConstantOfShape) builds a tensor of shape [1000000,1000000], which exceed the limit of 100000000 elements per tensor" },
        { "oversized", $"the limit is {ProductHost.MaxModelBytes} bytes" },
    };

    [Theory]
    [MemberData(nameof(CraftedModels))]
    public async Task A_crafted_model_is_rejected_before_loading_and_nothing_stored_changes(string craft, string reason)
    {
        var admin = host.CreateClient();
        var blobs = host.Services.GetRequiredService<IBlobStore>();
        var uploads = host.Host.Options.ModelUploadsContainer;
        var artifacts = host.Services.GetRequiredService<RegistryTables>().ArtifactsContainer;
        await blobs.CreateContainerIfNotExistsAsync(uploads);

        // Something stored to protect: a registered (and promoted) upload.
        await blobs.UploadBytesAsync(uploads, "byokept/m.onnx", UploadFixtures.TensorClassifier);
        Assert.Equal("Promoted", (await WaitForUploadAsync(admin, "byokept")).GetProperty("status").GetString());
        var before = await HashAllAsync(blobs, artifacts);
        var modelsBefore = await admin.GetStringAsync("api/models/byokept");

        var model = "byocraft-" + craft;
        var bytes = craft switch
        {
            "etc-passwd" => CraftedOnnx.ExternalData(UploadFixtures.LinearRegressor, "/etc/passwd"),
            "dot-dot" => CraftedOnnx.ExternalData(UploadFixtures.LinearRegressor, "../secret"),
            "custom-domain" => CraftedOnnx.CustomDomain(UploadFixtures.LinearRegressor),
            "absurd-shape" => CraftedOnnx.AbsurdShape(UploadFixtures.LinearRegressor),
            _ => [.. CraftedOnnx.ExternalData(UploadFixtures.LinearRegressor, "/etc/passwd"), .. new byte[ProductHost.MaxModelBytes]],
        };
        await blobs.UploadBytesAsync(uploads, $"{model}/m.onnx", bytes);
        var report = await WaitForUploadAsync(admin, model);

        Assert.True(report.GetProperty("status").GetString() == "Rejected", report.ToString());
        Assert.Contains(reason, report.GetProperty("reason").GetString(), StringComparison.Ordinal);
        Assert.Equal(System.Net.HttpStatusCode.NotFound, (await admin.GetAsync($"api/models/{model}")).StatusCode);
        var after = await HashAllAsync(blobs, artifacts);
        Assert.All(before, blob => Assert.Equal(blob.Value, after.GetValueOrDefault(blob.Key)));
        Assert.DoesNotContain(after.Keys.Except(before.Keys), name => name.StartsWith("models/", StringComparison.Ordinal) || name.StartsWith("uploads/sha256/", StringComparison.Ordinal));
        Assert.Equal(modelsBefore, await admin.GetStringAsync("api/models/byokept"));
    }

    [Fact]
    public async Task An_upload_overwritten_mid_pipeline_registers_the_bytes_that_were_validated()
    {
        var blobs = host.Services.GetRequiredService<IBlobStore>();
        var registry = host.Services.GetRequiredService<ModelRegistry>();
        var artifacts = host.Services.GetRequiredService<ArtifactStore>();
        var uploads = UnwatchedContainer;
        await blobs.CreateContainerIfNotExistsAsync(uploads);
        var validated = UploadFixtures.TensorClassifier;
        var request = new ModelUploadRequest("byopin", uploads, "byopin/pinned.onnx", null, ModelUploadIds.ContentHash(validated, []));
        var context = new ActivityContext("upload-byopin-test");
        await blobs.UploadBytesAsync(uploads, request.Path, validated);

        var validation = await ActivatorUtilities.CreateInstance<ValidateUpload>(host.Services).RunAsync(context, request);
        Assert.Null(validation.Rejection);
        var snapshot = Assert.IsType<UploadSnapshot>(validation.Snapshot);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(validated)), snapshot.Sha256);

        // The blob is replaced by other bytes between validation and the later steps.
        await blobs.UploadBytesAsync(uploads, request.Path, UploadFixtures.LinearRegressor);
        var evaluation = await ActivatorUtilities.CreateInstance<EvaluateUpload>(host.Services).RunAsync(context, new EvaluateUploadRequest(context.InstanceId, request, validation.Model!, null, snapshot));
        var registered = await ActivatorUtilities.CreateInstance<RegisterUpload>(host.Services).RunAsync(context, new RegisterUploadRequest(context.InstanceId, request, validation.Model!, null, evaluation, snapshot, "attempt-1"));

        Assert.False(registered.AlreadyRegistered);
        Assert.Equal(validated, await registry.LoadOnnxAsync(await registry.GetVersionAsync("byopin", registered.Version)));

        // A snapshot changed behind the pipeline's back is refused, never registered.
        await blobs.UploadBytesAsync(artifacts.Container, snapshot.Path, UploadFixtures.LinearRegressor);
        await Assert.ThrowsAsync<InvalidDataException>(() => ActivatorUtilities.CreateInstance<RegisterUpload>(host.Services)
            .RunAsync(context, new RegisterUploadRequest("upload-byopin-other", request, validation.Model!, null, evaluation, snapshot, "attempt-2")));
        await blobs.UploadBytesAsync(artifacts.Container, snapshot.Path, validated);
    }

    [Fact]
    public async Task Validation_refuses_bytes_other_than_those_the_trigger_hashed()
    {
        var blobs = host.Services.GetRequiredService<IBlobStore>();
        var uploads = UnwatchedContainer;
        await blobs.CreateContainerIfNotExistsAsync(uploads);
        await blobs.UploadBytesAsync(uploads, "byochanged/changed.onnx", UploadFixtures.LinearRegressor);
        var request = new ModelUploadRequest("byochanged", uploads, "byochanged/changed.onnx", null, ModelUploadIds.ContentHash(UploadFixtures.TensorClassifier, []));

        var validation = await ActivatorUtilities.CreateInstance<ValidateUpload>(host.Services).RunAsync(new ActivityContext("upload-byochanged-test"), request);

        Assert.Null(validation.Snapshot);
        Assert.Contains("changed after the upload was received", validation.Rejection, StringComparison.Ordinal);
    }

    /// <summary>Where the activity-level tests put uploads: not the container the blob trigger watches, so no pipeline runs on them meanwhile.</summary>
    private string UnwatchedContainer => host.Host.Options.ModelUploadsContainer + "-direct";

    private static async Task<Dictionary<string, string>> HashAllAsync(IBlobStore blobs, string container)
    {
        var hashes = new Dictionary<string, string>(StringComparer.Ordinal);
        await foreach (var item in blobs.ListAsync(container))
        {
            hashes[item.Name] = Convert.ToHexStringLower(SHA256.HashData(await blobs.DownloadBytesAsync(container, item.Name)));
        }

        return hashes;
    }

    private sealed class ActivityContext(string instanceId) : TaskActivityContext
    {
        public override TaskName Name => new("test");

        public override string InstanceId => instanceId;
    }
}
