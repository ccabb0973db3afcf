using Microsoft.ML;
using Serverless.ML.Features;
using Serverless.ML.Onnx.Proto;
using Serverless.ML.Training;

namespace Serverless.ML.Export;

/// <summary>
/// The trained ML.NET predictor (and calibrator) as exported by ML.NET's own ONNX converter
/// (<c>Microsoft.ML.OnnxConverter</c>, <c>ConvertToOnnx</c>), spliced into the product's graph after the feature tensor.
/// The converter emits ai.onnx opset 12 at most; its nodes are imported into the product's opset-17 graph with the two
/// operators whose form changed since (ReduceSum and Unsqueeze take <c>axes</c> as an input from opset 13) rewritten,
/// and any other operator outside <see cref="Compatible"/> refused. Only the nodes the wanted output depends on are kept.
/// </summary>
internal static class ConvertedPredictorGraph
{
    private const int ConverterOpset = 12;
    private const string Prefix = "mlnet_";

    /// <summary>Operators whose opset-12 form means the same at opset 17 (ai.onnx) or ai.onnx.ml 3.</summary>
    private static readonly HashSet<string> Compatible = new(StringComparer.Ordinal)
    {
        "TreeEnsembleRegressor", "LinearRegressor", "LinearClassifier", "Binarizer",
        "Cast", "Mul", "Add", "Sub", "Div", "Sigmoid", "Clip", "Sum", "Not", "Concat", "ArgMax", "Max", "Exp", "Identity",
    };

    /// <summary>
    /// Adds the predictor's nodes reading <paramref name="features"/>; returns the name of the tensor ML.NET calls
    /// <paramref name="column"/> (<c>Score</c>: regression [N,1], multiclass probabilities [N,C]; <c>Probability</c>: binary [N,1]).
    /// </summary>
    /// <exception cref="NotSupportedException">The converter cannot export the model, or emits an operator not known to be compatible.</exception>
    public static string Add(OnnxGraphBuilder graph, string features, TrainedCandidate candidate, string column)
    {
        var converted = Convert(candidate);
        var source = converted.Graph;
        var wantedOutput = column + ".output";
        var producerOf = source.Node.SelectMany(n => n.Output.Select(o => (o, n))).ToDictionary(p => p.o, p => p.n, StringComparer.Ordinal);
        if (!producerOf.TryGetValue(wantedOutput, out var identity) || identity.OpType != "Identity")
        {
            throw new NotSupportedException($"ML.NET's ONNX converter gave no '{column}' output for {candidate.Spec.Id}.");
        }

        var keep = Cone(identity.Input[0], producerOf);
        var initializers = source.Initializer.ToDictionary(t => t.Name, StringComparer.Ordinal);
        string Rename(string name) => name == FeatureDataView.FeaturesColumn ? features : Prefix + name;
        foreach (var node in source.Node.Where(keep.Contains))
        {
            if (!Compatible.Contains(node.OpType) && node.OpType is not ("ReduceSum" or "Unsqueeze"))
            {
                throw new NotSupportedException($"ML.NET's ONNX converter emitted {node.OpType} (opset {ConverterOpset}), not known to mean the same at opset {OnnxModelExporter.OnnxOpset}.");
            }

            var copy = node.Clone();
            copy.Name = Prefix + node.Name;
            copy.Input.Clear();
            copy.Input.Add(node.Input.Select(Rename));
            copy.Output.Clear();
            copy.Output.Add(node.Output.Select(Rename));
            if (node.OpType is "ReduceSum" or "Unsqueeze")
            {
                MoveAxesToInput(graph, copy);
            }

            foreach (var input in node.Input.Where(initializers.ContainsKey))
            {
                var tensor = initializers[input].Clone();
                tensor.Name = Rename(input);
                if (!graph.Graph.Initializer.Any(t => t.Name == tensor.Name))
                {
                    graph.Graph.Initializer.Add(tensor);
                }
            }

            graph.Graph.Node.Add(copy);
            if (copy.Domain == OnnxGraphBuilder.MlDomain)
            {
                DeclareTypes(graph, copy);
            }
        }

        return Rename(identity.Input[0]);
    }

    private static ModelProto Convert(TrainedCandidate candidate)
    {
        var ml = new MLContext(candidate.Setup.Seed);
        var schema = FeatureDataView.Unlabeled([], candidate.Features.Width, 0);
        using var stream = new MemoryStream();
        try
        {
            ml.Model.ConvertToOnnx(candidate.Model, schema, ConverterOpset, stream);
        }
        catch (Exception e) when (e is InvalidOperationException or NotSupportedException or ArgumentException)
        {
            throw new NotSupportedException($"ML.NET's ONNX converter cannot export {candidate.Spec.Id}: {e.Message}", e);
        }

        return ModelProto.Parser.ParseFrom(stream.ToArray());
    }

    /// <summary>The nodes <paramref name="tensor"/> depends on.</summary>
    private static HashSet<NodeProto> Cone(string tensor, Dictionary<string, NodeProto> producerOf)
    {
        var keep = new HashSet<NodeProto>();
        var pending = new Stack<string>([tensor]);
        while (pending.TryPop(out var name))
        {
            if (producerOf.TryGetValue(name, out var node) && keep.Add(node))
            {
                foreach (var input in node.Input)
                {
                    pending.Push(input);
                }
            }
        }

        return keep;
    }

    /// <summary>ai.onnx.ml outputs are float, except LinearClassifier's first output (its label: int64 or string).</summary>
    private static void DeclareTypes(OnnxGraphBuilder graph, NodeProto node)
    {
        for (var i = 0; i < node.Output.Count; i++)
        {
            var type = node.OpType == "LinearClassifier" && i == 0
                ? node.Attribute.Any(a => a.Name == "classlabels_strings") ? TensorProto.Types.DataType.String : TensorProto.Types.DataType.Int64
                : TensorProto.Types.DataType.Float;
            graph.DeclareType(node.Output[i], type);
        }
    }

    /// <summary>Opset 13 moved ReduceSum's and Unsqueeze's <c>axes</c> attribute to an int64 input.</summary>
    private static void MoveAxesToInput(OnnxGraphBuilder graph, NodeProto node)
    {
        var axes = node.Attribute.FirstOrDefault(a => a.Name == "axes");
        if (axes is null)
        {
            return;
        }

        node.Attribute.Remove(axes);
        node.Input.Add(graph.Int64s("axes", [.. axes.Ints], axes.Ints.Count));
    }
}
