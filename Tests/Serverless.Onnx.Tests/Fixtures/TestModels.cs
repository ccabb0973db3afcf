using Serverless.Domain.Datasets;
using Serverless.Domain.Models;
using static Serverless.Onnx.Tests.Fixtures.OnnxGraphBuilder;

namespace Serverless.Onnx.Tests.Fixtures;

/// <summary>
/// Tiny models of the product's ONNX signature, built by hand: missing numbers imputed in the graph,
/// categories encoded in the graph, a linear layer, softmax, and a string label.
/// </summary>
public static class TestModels
{
    public static readonly ModelSignature ChurnSignature = new(
        TaskKind.Binary,
        "churned",
        [
            new SignatureInput("age", ColumnKind.Numeric),
            new SignatureInput("active", ColumnKind.Boolean),
            new SignatureInput("plan", ColumnKind.Categorical, ["free", "pro"]),
        ],
        ["no", "yes"]);

    public static readonly ModelSignature PriceSignature = new(
        TaskKind.Regression,
        "price",
        [
            new SignatureInput("size", ColumnKind.Numeric),
            new SignatureInput("rooms", ColumnKind.Numeric),
            new SignatureInput("city", ColumnKind.Categorical, ["a", "b"]),
        ]);

    /// <summary>
    /// Binary churn model: logit(yes) − logit(no) = 2·(0.05·age + 1·active − 2·pro_plan − 1), age imputed as 40,
    /// active as 0, an unknown plan as 0.5. <paramref name="bias"/> shifts the "yes" logit (to tell versions apart).
    /// </summary>
    public static byte[] Churn(string modelName = "churn", int version = 1, float bias = 0f) =>
        new OnnxGraphBuilder()
            .Input("age", Float, -1, 1)
            .Input("active", Float, -1, 1)
            .Input("plan", Text, -1, 1)
            .Output(ModelSignature.LabelOutput, Text, -1)
            .Output(ModelSignature.ProbabilitiesOutput, Float, -1, 2)
            .Node("Imputer", ["age"], ["age_imputed"], "ai.onnx.ml", FloatsAttribute("imputed_value_floats", 40f), FloatAttribute("replaced_value_float", float.NaN))
            .Node("Imputer", ["active"], ["active_imputed"], "ai.onnx.ml", FloatsAttribute("imputed_value_floats", 0f), FloatAttribute("replaced_value_float", float.NaN))
            .Node("LabelEncoder", ["plan"], ["plan_code"], "ai.onnx.ml", StringsAttribute("keys_strings", "free", "pro"), FloatsAttribute("values_floats", 0f, 1f), FloatAttribute("default_float", 0.5f))
            .Node("Concat", ["age_imputed", "active_imputed", "plan_code"], ["features"], "", IntAttribute("axis", 1))
            .FloatInitializer("weights", [-0.05f, 0.05f, -1f, 1f, 2f, -2f], 3, 2)
            .FloatInitializer("bias", [1f, -1f + bias], 2)
            .Node("Gemm", ["features", "weights", "bias"], ["logits"])
            .Node("Softmax", ["logits"], [ModelSignature.ProbabilitiesOutput], "", IntAttribute("axis", 1))
            .Node("ArgMax", [ModelSignature.ProbabilitiesOutput], ["class_index"], "", IntAttribute("axis", 1), IntAttribute("keepdims", 0))
            .Node("LabelEncoder", ["class_index"], [ModelSignature.LabelOutput], "ai.onnx.ml", IntsAttribute("keys_int64s", 0, 1), StringsAttribute("values_strings", "no", "yes"), StringAttribute("default_string", "?"))
            .Metadata(ModelSignature.MetadataSignatureKey, ModelSignatureJson.Serialize(ChurnSignature))
            .Metadata(ModelSignature.MetadataModelKey, modelName)
            .Metadata(ModelSignature.MetadataVersionKey, version.ToString(System.Globalization.CultureInfo.InvariantCulture))
            .Build();

    /// <summary>Regression: value = 2·size + 10·rooms + 100·[city = b] + 5 (missing numbers → 0, unknown city → 0.5).</summary>
    public static byte[] Price() =>
        new OnnxGraphBuilder()
            .Input("size", Float, -1, 1)
            .Input("rooms", Float, -1, 1)
            .Input("city", Text, -1, 1)
            .Output(ModelSignature.ValueOutput, Float, -1)
            .Node("Imputer", ["size"], ["size_imputed"], "ai.onnx.ml", FloatsAttribute("imputed_value_floats", 0f), FloatAttribute("replaced_value_float", float.NaN))
            .Node("Imputer", ["rooms"], ["rooms_imputed"], "ai.onnx.ml", FloatsAttribute("imputed_value_floats", 0f), FloatAttribute("replaced_value_float", float.NaN))
            .Node("LabelEncoder", ["city"], ["city_code"], "ai.onnx.ml", StringsAttribute("keys_strings", "a", "b"), FloatsAttribute("values_floats", 0f, 1f), FloatAttribute("default_float", 0.5f))
            .Node("Concat", ["size_imputed", "rooms_imputed", "city_code"], ["features"], "", IntAttribute("axis", 1))
            .FloatInitializer("weights", [2f, 10f, 100f], 3, 1)
            .FloatInitializer("bias", [5f], 1)
            .Node("Gemm", ["features", "weights", "bias"], ["value_column"])
            .Int64Initializer("flat", [-1], 1)
            .Node("Reshape", ["value_column", "flat"], [ModelSignature.ValueOutput])
            .Metadata(ModelSignature.MetadataSignatureKey, ModelSignatureJson.Serialize(PriceSignature))
            .Build();

    /// <summary>A foreign model (no signature): <c>doubled</c> = x + x ([N,3]) and <c>total</c> = the row sums of x ([N]).</summary>
    public static byte[] Foreign() =>
        new OnnxGraphBuilder()
            .Input("x", Float, -1, 3)
            .Output("doubled", Float, -1, 3)
            .Output("total", Float, -1)
            .Node("Add", ["x", "x"], ["doubled"])
            .Int64Initializer("axes", [1], 1)
            .Node("ReduceSum", ["x", "axes"], ["total"], "", IntAttribute("keepdims", 0))
            .Build();

    /// <summary>The churn model's expected P(yes), computed in C# from the same formula.</summary>
    public static double ExpectedChurnProbability(double age, double active, string? plan, float bias = 0f)
    {
        var a = double.IsNaN(age) ? 40 : age;
        var b = double.IsNaN(active) ? 0 : active;
        var p = plan switch { "free" => 0.0, "pro" => 1.0, _ => 0.5 };
        var no = (-0.05 * a) + (-1 * b) + (2 * p) + 1;
        var yes = (0.05 * a) + (1 * b) + (-2 * p) - 1 + bias;
        return 1 / (1 + Math.Exp(no - yes));
    }
}
