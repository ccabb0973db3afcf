using Serverless.Domain.Models;
using Serverless.ML.Training;
using static Serverless.ML.Export.OnnxGraphBuilder;

namespace Serverless.ML.Export;

/// <summary>
/// From the feature tensor to the signature's outputs: the predictor as ML.NET's ONNX converter exports it
/// (<see cref="ConvertedPredictorGraph"/>), then the product's serving head — regression: <c>value</c> [N];
/// classification: <c>probabilities</c> [N, C] in class order (binary: <c>[1 − p, p]</c>) and <c>label</c>, the class
/// name at ArgMax.
/// </summary>
internal static class ScoreGraph
{
    private const string ScoreColumn = "Score";
    private const string ProbabilityColumn = "Probability";

    public static void Add(OnnxGraphBuilder graph, string features, TrainedCandidate candidate)
    {
        var setup = candidate.Setup;
        switch (setup.Task)
        {
            case TaskKind.Regression:
                var score = ConvertedPredictorGraph.Add(graph, features, candidate, ScoreColumn);
                graph.Node("Reshape", [score, graph.Int64s("value_shape", [-1], 1)], output: ModelSignature.ValueOutput);
                graph.AddOutput(ModelSignature.ValueOutput, Onnx.Proto.TensorProto.Types.DataType.Float, [null]);
                return;
            case TaskKind.Binary:
                var positive = graph.Node("Reshape", [ConvertedPredictorGraph.Add(graph, features, candidate, ProbabilityColumn), graph.Int64s("positive_shape", [-1, 1], 2)]);
                var negative = graph.Node("Sub", [graph.Floats("one", [1f]), positive]);
                Classify(graph, graph.Node("Concat", [negative, positive], [Int("axis", 1)]), setup.Classes);
                return;
            default:
                Classify(graph, ConvertedPredictorGraph.Add(graph, features, candidate, ScoreColumn), setup.Classes);
                return;
        }
    }

    private static void Classify(OnnxGraphBuilder graph, string probabilities, IReadOnlyList<string> classes)
    {
        graph.Node("Identity", [probabilities], output: ModelSignature.ProbabilitiesOutput);
        var index = graph.Node("ArgMax", [probabilities], [Int("axis", 1), Int("keepdims", 0)]);
        graph.Node("Gather", [graph.Strings("classes", classes), index], [Int("axis", 0)], output: ModelSignature.LabelOutput);
        graph.AddOutput(ModelSignature.LabelOutput, Onnx.Proto.TensorProto.Types.DataType.String, [null]);
        graph.AddOutput(ModelSignature.ProbabilitiesOutput, Onnx.Proto.TensorProto.Types.DataType.Float, [null, classes.Count]);
    }
}
