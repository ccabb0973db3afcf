using Serverless.Domain.Models;
using Serverless.Orchestrations.ModelUploads;
using Xunit;

namespace Serverless.Functions.Uploads.Tests;

/// <summary>Validation of uploaded bytes and sidecars, on the real python3-onnx models and ONNX Runtime.</summary>
public sealed class UploadedModelValidatorTests
{
    private const long Limit = 1024 * 1024;

    [Fact]
    public void A_tabular_model_keeps_its_signature_and_lists_its_interface()
    {
        var model = UploadedModelValidator.Validate(UploadFixtures.LinearRegressor, "lin.onnx", UploadSidecar.Parse("""{ "task": "regression", "label": "y" }""", "lin.json"), Limit);
        Assert.Equal(UploadedModelKinds.Tabular, model.Kind);
        Assert.Equal(TaskKind.Regression, model.Signature.Task);
        Assert.Equal(["x1: Float [-1,1]", "x2: Float [-1,1]"], model.Inputs);
        Assert.Equal(["value: Float [-1]"], model.Outputs);
    }

    [Fact]
    public void A_tensor_model_is_accepted_with_what_the_sidecar_says()
    {
        var model = UploadedModelValidator.Validate(UploadFixtures.TensorClassifier, "t.onnx", UploadSidecar.Parse("""{ "task": "multiclass", "classes": ["a", "b", "c"] }""", "t.json"), Limit);
        Assert.Equal(UploadedModelKinds.Tensor, model.Kind);
        Assert.Equal(TaskKind.Multiclass, model.Signature.Task);
        Assert.Empty(model.Signature.Inputs);
        Assert.Equal(["features: Float [-1,4]"], model.Inputs);
    }

    public static TheoryData<string, string?, string> Rejections => new()
    {
        { "junk", null, "junk.onnx is not accepted: not an ONNX model (protobuf:" },
        { "fp16", null, "input 'x' is Float16" },
        { "linear", """{ "task": "binary" }""", "sidecar field 'task' says binary; the model's signature says regression" },
        { "linear", """{ "label": "price" }""", "sidecar field 'label' says 'price'; the model's signature predicts 'y'" },
        { "linear", """{ "inputMapping": { "x3": "a" } }""", "'x3' is not an input of the model" },
        { "linear", """{ "task": "forecast" }""", "'forecast' is not one of" },
        { "linear", """{ "colour": "blue" }""", "is not valid" },
        { "tensor", """{ "evaluationDataset": { "project": "p", "version": 1 } }""", "is a tensor model" },
    };

    [Theory]
    [MemberData(nameof(Rejections))]
    public void Bad_uploads_are_rejected_with_the_reason(string model, string? sidecar, string reason)
    {
        var bytes = model switch
        {
            "junk" => "this is not a model"u8.ToArray(),
            "fp16" => UploadFixtures.UnsupportedFp16,
            "tensor" => UploadFixtures.TensorClassifier,
            _ => UploadFixtures.LinearRegressor,
        };
        var e = Assert.Throws<ModelUploadRejectedException>(() =>
            UploadedModelValidator.Validate(bytes, $"{model}.onnx", sidecar is null ? null : UploadSidecar.Parse(sidecar, $"{model}.json"), Limit));
        Assert.Contains(reason, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_oversized_file_is_rejected_before_loading()
    {
        var e = Assert.Throws<ModelUploadRejectedException>(() => UploadedModelValidator.Validate(UploadFixtures.LinearRegressor, "lin.onnx", null, 100));
        Assert.Contains("the limit is 100 bytes", e.Message, StringComparison.Ordinal);
    }
}
