using Serverless.Domain.Datasets;
using Serverless.Domain.Models;
using Serverless.Onnx.Tests.Fixtures;
using Xunit;

namespace Serverless.Onnx.Tests;

public sealed class OnnxModelTests
{
    private static TabularFrame ChurnFrame(double[] age, double[] active, string?[] plan) => new(
    [
        new NumericColumn("age", age),
        new NumericColumn("active", ColumnKind.Boolean, active),
        new TextColumn("plan", ColumnKind.Categorical, plan),
    ]);

    [Fact]
    public void Load_reads_the_signature_metadata_and_the_graph_interface()
    {
        using var model = OnnxModel.Load(TestModels.Churn("churn", 7));

        Assert.Equal(TestModels.ChurnSignature.Task, model.Signature!.Task);
        Assert.Equal(["age", "active", "plan"], model.Signature.Inputs.Select(i => i.Name));
        Assert.Equal(ColumnKind.Categorical, model.Signature.Inputs[2].Kind);
        Assert.Equal(["free", "pro"], model.Signature.Inputs[2].Categories!);
        Assert.Equal(["no", "yes"], model.Signature.Classes!);
        Assert.Equal("7", model.Metadata[ModelSignature.MetadataVersionKey]);
        var plan = Assert.Single(model.Inputs, i => i.Name == "plan");
        Assert.Equal(TensorElementKind.String, plan.ElementKind);
        Assert.Equal([-1L, 1L], plan.Shape);
        var probabilities = Assert.Single(model.Outputs, o => o.Name == "probabilities");
        Assert.Equal(TensorElementKind.Float, probabilities.ElementKind);
        Assert.Equal([-1L, 2L], probabilities.Shape);
    }

    [Fact]
    public void Score_classifies_with_probabilities_in_class_order_and_imputes_missing_values()
    {
        using var model = OnnxModel.Load(TestModels.Churn());
        double[] age = [20, 70, double.NaN, 35];
        double[] active = [1, 0, 1, double.NaN];
        string?[] plan = ["free", "pro", null, "enterprise"];

        var predictions = model.Score(ChurnFrame(age, active, plan));

        Assert.Equal(TaskKind.Binary, predictions.Task);
        Assert.Equal(4, predictions.RowCount);
        for (var row = 0; row < 4; row++)
        {
            var expectedYes = TestModels.ExpectedChurnProbability(age[row], active[row], plan[row]);
            var probabilities = predictions.ProbabilitiesOf(row).ToArray();
            Assert.Equal(expectedYes, probabilities[1], 4);
            Assert.Equal(1 - expectedYes, probabilities[0], 4);
            Assert.Equal(expectedYes > 0.5 ? "yes" : "no", predictions.Labels![row]);
        }
    }

    [Fact]
    public void Score_regresses_and_reports_a_missing_column_by_name()
    {
        using var model = OnnxModel.Load(TestModels.Price());
        var frame = new TabularFrame(
        [
            new NumericColumn("size", [10, double.NaN]),
            new NumericColumn("rooms", [2, 3]),
            new TextColumn("city", ColumnKind.Categorical, ["b", "zzz"]),
        ]);

        var predictions = model.Score(frame);

        Assert.Equal(TaskKind.Regression, predictions.Task);
        Assert.Equal((2 * 10) + (10 * 2) + 100 + 5, predictions.Values![0], 3);
        Assert.Equal(0 + (10 * 3) + 50 + 5, predictions.Values[1], 3);

        var error = Assert.Throws<OnnxModelException>(() => model.Score(frame.Select(["size", "city"])));
        Assert.Contains("'rooms'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Score_reports_a_graph_that_fails_on_the_rows_as_a_model_error()
    {
        // Loads (the reshape target is a constant, checked only when it runs) and fails on any batch but three values.
        var failing = new OnnxGraphBuilder()
            .Input("size", OnnxGraphBuilder.Float, -1, 1)
            .Output(ModelSignature.ValueOutput, OnnxGraphBuilder.Float, -1)
            .Int64Initializer("three", [3], 1)
            .Node("Reshape", ["size", "three"], [ModelSignature.ValueOutput])
            .Metadata(ModelSignature.MetadataSignatureKey, ModelSignatureJson.Serialize(new ModelSignature(TaskKind.Regression, "price", [new SignatureInput("size", ColumnKind.Numeric)])))
            .Build();
        using var model = OnnxModel.Load(failing, OnnxModelOptions.Untrusted);

        var error = Assert.Throws<OnnxModelException>(() => model.Score(new TabularFrame([new NumericColumn("size", [1, 2])])));

        Assert.StartsWith("The model could not run on these rows:", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Score_is_thread_safe_under_concurrent_callers()
    {
        using var model = OnnxModel.Load(TestModels.Churn());
        Parallel.For(0, 200, new ParallelOptions { MaxDegreeOfParallelism = 8 }, i =>
        {
            var age = 10 + (i % 60);
            var predictions = model.Score(ChurnFrame([age], [i % 2], [i % 3 == 0 ? "pro" : "free"]));
            var expected = TestModels.ExpectedChurnProbability(age, i % 2, i % 3 == 0 ? "pro" : "free");
            Assert.Equal(expected, predictions.ProbabilitiesOf(0)[1], 4);
        });
    }

    [Fact]
    public void Concurrent_single_and_multi_row_scoring_gives_exactly_the_sequential_results()
    {
        using var model = OnnxModel.Load(TestModels.Churn());
        var frames = Enumerable.Range(0, 300).Select(i =>
        {
            var rows = i % 4 == 0 ? 1 + (i % 7) : 1;
            var age = Enumerable.Range(0, rows).Select(r => (i + r) % 11 == 0 ? double.NaN : 10 + ((i * 7 + r) % 60)).ToArray();
            var active = Enumerable.Range(0, rows).Select(r => (double)((i + r) % 2)).ToArray();
            var plan = Enumerable.Range(0, rows).Select(r => (i + r) % 5 == 0 ? null : (i + r) % 3 == 0 ? "pro" : "free").ToArray();
            return ChurnFrame(age, active, plan);
        }).ToArray();
        var sequential = frames.Select(model.Score).ToArray();
        Assert.Contains(sequential, p => p.RowCount == 1);
        Assert.Contains(sequential, p => p.RowCount > 1);

        var concurrent = new ModelPredictions[frames.Length];
        Parallel.For(0, frames.Length * 20, new ParallelOptions { MaxDegreeOfParallelism = 8 }, i =>
        {
            var index = (i * 37) % frames.Length;
            var predictions = model.Score(frames[index]);
            Assert.Equal(sequential[index].Labels, predictions.Labels);
            Assert.Equal(sequential[index].Probabilities, predictions.Probabilities);
            concurrent[index] = predictions;
        });
        Assert.All(concurrent, Assert.NotNull);
    }

    [Fact]
    public void Run_scores_foreign_models_tensor_by_tensor_and_honours_requested_outputs()
    {
        using var model = OnnxModel.Load(TestModels.Foreign());
        Assert.Null(model.Signature);
        Assert.Throws<InvalidOperationException>(() => model.Score(new TabularFrame([])));

        var input = new NamedTensor("x", [2, 3], new float[] { 1, 2, 3, 4, 5, 6 });
        var all = model.Run([input]);
        Assert.Equal(["doubled", "total"], all.Select(t => t.Name));
        Assert.Equal(new float[] { 2, 4, 6, 8, 10, 12 }, (float[])all[0].Data);
        Assert.Equal([2L, 3L], all[0].Shape);
        Assert.Equal(new float[] { 6, 15 }, (float[])all[1].Data);

        var only = Assert.Single(model.Run([input], ["total"]));
        Assert.Equal("total", only.Name);
    }

    [Fact]
    public void Run_rejects_unknown_names_wrong_types_and_wrong_sizes_with_clear_messages()
    {
        using var model = OnnxModel.Load(TestModels.Foreign());

        Assert.Contains("no input 'y'", Assert.Throws<OnnxModelException>(() => model.Run([new NamedTensor("y", [1, 3], new float[3])])).Message, StringComparison.Ordinal);
        Assert.Contains("Int64", Assert.Throws<OnnxModelException>(() => model.Run([new NamedTensor("x", [1, 3], new long[3])])).Message, StringComparison.Ordinal);
        Assert.Contains("4 values", Assert.Throws<OnnxModelException>(() => model.Run([new NamedTensor("x", [1, 3], new float[4])])).Message, StringComparison.Ordinal);
        Assert.Contains("expects [-1,3]", Assert.Throws<OnnxModelException>(() => model.Run([new NamedTensor("x", [3, 1], new float[3])])).Message, StringComparison.Ordinal);
        Assert.Contains("no output 'nope'", Assert.Throws<OnnxModelException>(() => model.Run([new NamedTensor("x", [1, 3], new float[3])], ["nope"])).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_rejects_bytes_that_are_not_a_model_and_a_signature_that_does_not_match_the_graph()
    {
        Assert.Throws<OnnxModelException>(() => OnnxModel.Load([1, 2, 3, 4]));

        var mismatched = new OnnxGraphBuilder()
            .Input("x", OnnxGraphBuilder.Float, -1, 3)
            .Output("y", OnnxGraphBuilder.Float, -1, 3)
            .Node("Identity", ["x"], ["y"])
            .Metadata(ModelSignature.MetadataSignatureKey, ModelSignatureJson.Serialize(TestModels.PriceSignature))
            .Build();
        var error = Assert.Throws<OnnxModelException>(() => OnnxModel.Load(mismatched));
        Assert.Contains("'size'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Signature_json_round_trips_and_reads_enum_names_in_any_case()
    {
        var json = ModelSignatureJson.Serialize(TestModels.ChurnSignature);
        Assert.Contains("\"task\":\"binary\"", json, StringComparison.Ordinal);
        var back = ModelSignatureJson.Deserialize(json);
        Assert.Equal(TestModels.ChurnSignature.Inputs, back.Inputs, (a, b) => a.Name == b.Name && a.Kind == b.Kind);

        var other = ModelSignatureJson.Deserialize("""{"Task":"Regression","Label":"y","Inputs":[{"Name":"a","Kind":"Numeric"}]}""");
        Assert.Equal(TaskKind.Regression, other.Task);
        Assert.Throws<OnnxModelException>(() => ModelSignatureJson.Deserialize("{not json"));
    }
}
