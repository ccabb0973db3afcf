using Serverless.ML.Features;
using Serverless.ML.Onnx.Proto;
using static Serverless.ML.Export.OnnxGraphBuilder;

namespace Serverless.ML.Export;

/// <summary>
/// Writes the <see cref="FeaturePlan"/> into the graph: one input per raw column; numeric and boolean inputs go through
/// Imputer (NaN → training mean) and, for standardized plans, Scaler; categorical inputs through OneHotEncoder over the
/// training vocabulary (unknown and empty values → all zeros); the parts are concatenated into the feature vector.
/// </summary>
internal static class FeatureGraph
{
    /// <summary>Adds the inputs and featurization; returns the name of the [N, Width] float feature tensor.</summary>
    public static string Add(OnnxGraphBuilder graph, FeaturePlan plan)
    {
        var parts = new List<string>(plan.Slots.Count);
        foreach (var slot in plan.Slots)
        {
            switch (slot)
            {
                case NumericSlot numeric:
                    graph.AddInput(numeric.Name, TensorProto.Types.DataType.Float);
                    var imputed = graph.Node("Imputer", [numeric.Name], [FloatList("imputed_value_floats", [numeric.Mean]), Float("replaced_value_float", float.NaN)], MlDomain);
                    parts.Add(plan.Standardized
                        ? graph.Node("Scaler", [imputed], [FloatList("offset", [numeric.Offset]), FloatList("scale", [numeric.Scale])], MlDomain)
                        : imputed);
                    break;
                case CategoricalSlot categorical:
                    graph.AddInput(categorical.Name, TensorProto.Types.DataType.String);
                    if (categorical.Width == 0)
                    {
                        break;
                    }

                    var encoded = graph.Node("OneHotEncoder", [categorical.Name], [Texts("cats_strings", categorical.Categories), Int("zeros", 1)], MlDomain);
                    parts.Add(graph.Node("Reshape", [encoded, graph.Int64s("onehot_shape", [-1, categorical.Width], 2)]));
                    break;
            }
        }

        if (parts.Count == 0)
        {
            throw new InvalidOperationException("The model has no features to export.");
        }

        return graph.Node("Concat", parts, [Int("axis", 1)]);
    }
}
