using Microsoft.ML.Calibrators;
using Microsoft.ML.Data;
using Microsoft.ML.Trainers;
using Microsoft.ML.Trainers.FastTree;
using Serverless.Domain.Models;
using Serverless.ML.Training;
using static Serverless.ML.Export.OnnxGraphBuilder;

namespace Serverless.ML.Export;

/// <summary>
/// Writes a trained ML.NET predictor as graph nodes from the feature tensor to the signature's outputs:
/// raw scores (tree ensembles or linear weights), then the task's transform — regression: the score;
/// binary: Platt calibration <c>p = 1 / (1 + exp(slope·s + offset))</c>; multiclass: softmax of raw scores
/// (LightGBM, maximum entropy) or one-versus-all Platt probabilities normalized to sum to one; labels by ArgMax.
/// </summary>
internal static class ScoreGraph
{
    public static void Add(OnnxGraphBuilder graph, string features, TrainedCandidate candidate, int featureCount)
    {
        var setup = candidate.Setup;
        var parts = candidate.Parts;
        switch (setup.Task)
        {
            case TaskKind.Regression:
                var value = RawScores(graph, features, [parts.Predictor], featureCount);
                graph.Node("Reshape", [value, graph.Int64s("value_shape", [-1], 1)], output: ModelSignature.ValueOutput);
                graph.AddOutput(ModelSignature.ValueOutput, Onnx.Proto.TensorProto.Types.DataType.Float, [null]);
                return;
            case TaskKind.Binary:
                var (binaryModel, calibrator) = parts.Predictor is CalibratedModelParametersBase calibrated
                    ? (calibrated.SubModel, calibrated.Calibrator as PlattCalibrator)
                    : (parts.Predictor, parts.Calibrator);
                var platt = calibrator ?? throw new NotSupportedException($"The binary model {candidate.Spec.Id} has no Platt calibrator to export.");
                var positive = Platt(graph, RawScores(graph, features, [binaryModel], featureCount), [platt]);
                var negative = graph.Node("Sub", [graph.Floats("one", [1f]), positive]);
                Classify(graph, graph.Node("Concat", [negative, positive], [Int("axis", 1)]), setup.Classes);
                return;
            default:
                Classify(graph, MulticlassProbabilities(graph, features, parts.Predictor, featureCount), setup.Classes);
                return;
        }
    }

    private static string MulticlassProbabilities(OnnxGraphBuilder graph, string features, object predictor, int featureCount)
    {
        switch (predictor)
        {
            case MaximumEntropyModelParameters maxEnt:
                VBuffer<float>[] weights = [];
                maxEnt.GetWeights(ref weights, out var classes);
                var matrix = new float[featureCount * classes];
                for (var k = 0; k < classes; k++)
                {
                    var dense = weights[k].DenseValues().ToArray();
                    for (var f = 0; f < featureCount; f++)
                    {
                        matrix[(f * classes) + k] = dense[f];
                    }
                }

                var linear = Linear(graph, features, matrix, maxEnt.GetBiases().ToArray(), featureCount);
                return graph.Node("Softmax", [linear], [Int("axis", 1)]);
            case OneVersusAllModelParameters ova:
                var subModels = OneVersusAllParts.SubModels(ova);
                var raw = subModels.Select(m => m is CalibratedModelParametersBase calibrated ? calibrated.SubModel : m).ToList();
                switch (OneVersusAllParts.Combination(ova))
                {
                    case OneVersusAllCombination.Softmax:
                        return graph.Node("Softmax", [RawScores(graph, features, raw, featureCount)], [Int("axis", 1)]);
                    case OneVersusAllCombination.ProbabilityNormalization:
                        var calibrators = subModels.Select(m => (m as CalibratedModelParametersBase)?.Calibrator as PlattCalibrator
                            ?? throw new NotSupportedException($"One-versus-all sub-model {m.GetType().Name} has no Platt calibrator.")).ToList();
                        var probabilities = Platt(graph, RawScores(graph, features, raw, featureCount), calibrators);
                        var sum = graph.Node("ReduceSum", [probabilities, graph.Int64s("axes", [1], 1)], [Int("keepdims", 1)]);
                        return graph.Node("Div", [probabilities, sum]);
                    default:
                        throw new NotSupportedException("One-versus-all models with raw (uncalibrated) outputs give no probabilities and cannot be exported.");
                }

            default:
                throw new NotSupportedException($"Cannot export multiclass predictor {predictor.GetType().Name}.");
        }
    }

    /// <summary>Raw scores [N, models.Count]: column k is model k's output.</summary>
    private static string RawScores(OnnxGraphBuilder graph, string features, IReadOnlyList<object> models, int featureCount)
    {
        if (models.All(m => m is LinearModelParameters))
        {
            var linear = models.Cast<LinearModelParameters>().ToList();
            var matrix = new float[featureCount * linear.Count];
            for (var k = 0; k < linear.Count; k++)
            {
                for (var f = 0; f < featureCount; f++)
                {
                    matrix[(f * linear.Count) + k] = linear[k].Weights[f];
                }
            }

            return Linear(graph, features, matrix, linear.Select(m => m.Bias).ToArray(), featureCount);
        }

        var ensemble = new TreeEnsembleGraph(models.Count);
        for (var k = 0; k < models.Count; k++)
        {
            switch (models[k])
            {
                case FastForestRegressionModelParameters forest:
                    // The regression forest predicts the mean of its trees.
                    ensemble.Add(forest.TrainedTreeEnsemble, k, 1.0 / forest.TrainedTreeEnsemble.Trees.Count);
                    break;
                case FastForestBinaryModelParameters forest:
                    // The binary forest's score is the sum of its trees (the calibrator turns it into a probability).
                    ensemble.Add(forest.TrainedTreeEnsemble, k, 1.0);
                    break;
                case TreeEnsembleModelParametersBasedOnRegressionTree trees:
                    ensemble.Add(trees.TrainedTreeEnsemble, k, 1.0);
                    break;
                default:
                    throw new NotSupportedException($"Cannot export predictor {models[k].GetType().Name}.");
            }
        }

        return ensemble.Emit(graph, features);
    }

    private static string Linear(OnnxGraphBuilder graph, string features, float[] weights, float[] biases, int featureCount)
    {
        var product = graph.Node("MatMul", [features, graph.Floats("weights", weights, featureCount, biases.Length)]);
        return graph.Node("Add", [product, graph.Floats("bias", biases, biases.Length)]);
    }

    /// <summary>ML.NET's Platt calibration per column: <c>1 / (1 + exp(slope·s + offset)) = sigmoid(-slope·s - offset)</c>.</summary>
    private static string Platt(OnnxGraphBuilder graph, string scores, IReadOnlyList<PlattCalibrator> calibrators)
    {
        var slopes = graph.Floats("platt_slope", calibrators.Select(c => (float)-c.Slope).ToArray(), calibrators.Count);
        var offsets = graph.Floats("platt_offset", calibrators.Select(c => (float)-c.Offset).ToArray(), calibrators.Count);
        return graph.Node("Sigmoid", [graph.Node("Add", [graph.Node("Mul", [scores, slopes]), offsets])]);
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
