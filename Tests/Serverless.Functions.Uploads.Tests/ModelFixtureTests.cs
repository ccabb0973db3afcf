using System.Text.RegularExpressions;
using Serverless.Domain.Models;
using Serverless.Onnx;
using Xunit;

namespace Serverless.Functions.Uploads.Tests;

/// <summary>The committed .onnx files still are what make_models.py describes (names, element types, shapes).</summary>
public sealed partial class ModelFixtureTests
{
    [Theory]
    [InlineData("linear_regressor")]
    [InlineData("tensor_classifier")]
    [InlineData("unsupported_fp16")]
    public void Committed_model_matches_the_script(string name)
    {
        var script = File.ReadAllText(UploadFixtures.PathOf("make_models.py"));
        var body = script[script.IndexOf($"def {name}():", StringComparison.Ordinal)..];
        body = body[..body.IndexOf("save(model", StringComparison.Ordinal)];
        var declared = ValueInfo().Matches(body).Select(m => (Name: m.Groups[1].Value, Type: m.Groups[2].Value, Shape: m.Groups[3].Value)).ToList();
        Assert.NotEmpty(declared);

        using var model = OnnxModel.Load(UploadFixtures.Bytes(name + ".onnx"));
        var actual = model.Inputs.Concat(model.Outputs).ToList();
        Assert.Equal(declared.Select(d => d.Name), actual.Select(a => a.Name));
        foreach (var (d, a) in declared.Zip(actual))
        {
            Assert.Equal(d.Type switch { "FLOAT" => TensorElementKind.Float, "FLOAT16" => TensorElementKind.Float16, "INT64" => TensorElementKind.Int64, var t => throw new InvalidOperationException(t) }, a.ElementKind);
            var dims = d.Shape.Split(',', StringSplitOptions.TrimEntries).Select(s => s == "\"N\"" ? -1L : long.Parse(s, System.Globalization.CultureInfo.InvariantCulture));
            Assert.Equal(dims, a.Shape);
        }

        Assert.Equal(name == "linear_regressor", model.Signature is not null);
    }

    [Fact]
    public void Linear_regressor_follows_the_product_convention_and_computes_what_the_script_says()
    {
        using var model = OnnxModel.Load(UploadFixtures.LinearRegressor);
        Assert.Equal(TaskKind.Regression, model.Signature!.Task);
        Assert.Equal("y", model.Signature.Label);
        Assert.Equal(["x1", "x2"], model.Signature.Inputs.Select(i => i.Name));
        var output = model.Run([new NamedTensor("x1", [2, 1], new float[] { 1, 0 }), new NamedTensor("x2", [2, 1], new float[] { 2, 1 })]);
        Assert.Equal(new float[] { -3, -2 }, (float[])Assert.Single(output).Data);
    }

    [GeneratedRegex("""make_tensor_value_info\("(\w+)", TensorProto\.(\w+), \[([^\]]*)\]\)""")]
    private static partial Regex ValueInfo();
}
