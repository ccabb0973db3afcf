using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using Serverless.Domain.Datasets;
using Serverless.Domain.Models;
using Serverless.Domain.Projects;
using Serverless.ML.Export;
using Serverless.ML.Training;
using Serverless.Onnx;
using Xunit;

namespace Serverless.ML.Tests;

/// <summary>The exported graph's interface, as ONNX Runtime itself sees it.</summary>
public sealed class SignatureTests
{
    [Fact]
    public void A_classifier_takes_one_tensor_per_column_and_gives_label_and_probabilities()
    {
        var data = Datasets.LoadWithHardCases("pima2");
        var candidate = CandidateTrainer.Train(data.Train, data.Validation, data.Setup(), Candidates.Small(TrainerNames.FastTree), CancellationToken.None);
        var metadata = new Dictionary<string, string> { [ModelSignature.MetadataModelKey] = "diabetes-risk", [ModelSignature.MetadataVersionKey] = "7" };

        using var session = new InferenceSession(OnnxModelExporter.Export(candidate, candidate.Signature, metadata));

        var inputs = session.InputMetadata;
        Assert.Equal(candidate.Signature.Inputs.Select(i => i.Name), inputs.Keys);
        Assert.Equal(TensorElementType.String, inputs["segment"].ElementDataType);
        Assert.Equal(TensorElementType.Float, inputs["glucose"].ElementDataType);
        Assert.All(inputs.Values, i => Assert.Equal([-1, 1], i.Dimensions));
        var outputs = session.OutputMetadata;
        Assert.Equal(TensorElementType.String, outputs[ModelSignature.LabelOutput].ElementDataType);
        Assert.Equal([-1], outputs[ModelSignature.LabelOutput].Dimensions);
        Assert.Equal(TensorElementType.Float, outputs[ModelSignature.ProbabilitiesOutput].ElementDataType);
        Assert.Equal([-1, 2], outputs[ModelSignature.ProbabilitiesOutput].Dimensions);
        var props = session.ModelMetadata.CustomMetadataMap;
        Assert.Equal("diabetes-risk", props[ModelSignature.MetadataModelKey]);
        Assert.Equal("7", props[ModelSignature.MetadataVersionKey]);
        var signature = ModelSignatureJson.Deserialize(props[ModelSignature.MetadataSignatureKey]);
        Assert.Equal(TaskKind.Binary, signature.Task);
        Assert.Equal(["neg", "pos"], signature.Classes);
        Assert.Equal(["east", "north", "south", "west"], signature.Inputs.Single(i => i.Name == "segment").Categories);
    }

    [Fact]
    public void A_regressor_gives_one_value_per_row()
    {
        var data = Datasets.LoadWithHardCases("servo");
        var candidate = CandidateTrainer.Train(data.Train, data.Validation, data.Setup(), Candidates.Small(TrainerNames.Linear), CancellationToken.None);

        using var session = new InferenceSession(OnnxModelExporter.Export(candidate, candidate.Signature));

        Assert.Equal([ModelSignature.ValueOutput], session.OutputMetadata.Keys);
        Assert.Equal(TensorElementType.Float, session.OutputMetadata[ModelSignature.ValueOutput].ElementDataType);
        Assert.Equal([-1], session.OutputMetadata[ModelSignature.ValueOutput].Dimensions);
        Assert.Equal(TensorElementType.String, session.InputMetadata["Motor"].ElementDataType);
        Assert.Equal(candidate.Spec.Id, session.ModelMetadata.CustomMetadataMap[ModelSignature.MetadataModelKey]);
    }

    [Fact]
    public void A_signature_that_does_not_describe_the_candidate_is_refused()
    {
        var data = Datasets.Load("wine");
        var candidate = CandidateTrainer.Train(data.Train, data.Validation, data.Setup(), Candidates.Small(TrainerNames.Linear), CancellationToken.None);
        var wrong = candidate.Signature with { Inputs = candidate.Signature.Inputs.Skip(1).ToList() };

        var error = Assert.Throws<ArgumentException>(() => OnnxModelExporter.Export(candidate, wrong));
        Assert.Contains("inputs", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Missing_numbers_are_imputed_and_unknown_categories_encode_to_zeros_inside_the_graph()
    {
        var data = Datasets.LoadWithHardCases("servo");
        var candidate = CandidateTrainer.Train(data.Train, data.Validation, data.Setup(), Candidates.Small(TrainerNames.Linear), CancellationToken.None);
        using var model = OnnxModel.Load(OnnxModelExporter.Export(candidate, candidate.Signature));
        var probe = data.Test.Take([0, 0, 0]);
        var columns = probe.Columns.Select(c => c.Name switch
        {
            "Motor" => new TextColumn("Motor", ColumnKind.Categorical, ["never-seen", null, "never-seen-either"]),
            "Pgain" => new NumericColumn("Pgain", [double.NaN, double.NaN, double.NaN]),
            _ => c,
        }).ToList();

        var values = model.Score(new TabularFrame(columns)).Values!;

        Assert.All(values, v => Assert.True(float.IsFinite(v)));
        Assert.Equal(values[0], values[1]);
        Assert.Equal(values[0], values[2]);
        Assert.Equal(candidate.Predict(new TabularFrame(columns)).Values![0], values[0], 3);
    }
}
