using Microsoft.ML;
using Microsoft.ML.Data;
using Serverless.Domain.Datasets;
using Serverless.Domain.Models;
using Serverless.ML.Evaluation;
using Serverless.ML.Features;
using Serverless.Onnx;

namespace Serverless.ML.Training;

/// <summary>
/// A trained candidate: the ML.NET model (which reads the <c>Features</c> vector), the fitted <see cref="FeaturePlan"/>
/// that builds that vector from raw columns, its hyperparameters, validation metrics and training time.
/// </summary>
public sealed record TrainedCandidate(
    CandidateSpec Spec,
    TrainingSetup Setup,
    FeaturePlan Features,
    ITransformer Model,
    ModelEvaluation Validation,
    TimeSpan Duration)
{
    /// <summary>The signature of this model's ONNX export.</summary>
    public ModelSignature Signature => Setup.Signature;

    /// <summary>ML.NET's predictions for the frame's rows, in the product's convention (label = most probable class).</summary>
    public ModelPredictions Predict(TabularFrame frame)
    {
        ArgumentNullException.ThrowIfNull(frame);
        var scored = Model.Transform(TrainingData.Unlabeled(frame, Features));
        var rows = frame.RowCount;
        switch (Setup.Task)
        {
            case TaskKind.Regression:
                return new ModelPredictions(TaskKind.Regression, null, null, null, ReadFloats(scored, "Score", rows));
            case TaskKind.Binary:
                var positive = ReadFloats(scored, "Probability", rows);
                var binary = new float[rows * 2];
                for (var row = 0; row < rows; row++)
                {
                    binary[(row * 2) + 1] = positive[row];
                    binary[row * 2] = 1f - positive[row];
                }

                return WithLabels(binary, rows);
            default:
                var classes = Setup.Classes.Count;
                var probabilities = new float[rows * classes];
                using (var cursor = scored.GetRowCursor([scored.Schema["Score"]]))
                {
                    var getter = cursor.GetGetter<VBuffer<float>>(scored.Schema["Score"]);
                    VBuffer<float> buffer = default;
                    var row = 0;
                    while (cursor.MoveNext())
                    {
                        getter(ref buffer);
                        buffer.CopyTo(probabilities.AsSpan(row * classes, classes));
                        row++;
                    }
                }

                return WithLabels(probabilities, rows);
        }
    }

    private ModelPredictions WithLabels(float[] probabilities, int rows)
    {
        var classes = Setup.Classes.Count;
        var labels = new string[rows];
        for (var row = 0; row < rows; row++)
        {
            labels[row] = Setup.Classes[ArgMax(probabilities.AsSpan(row * classes, classes))];
        }

        return new ModelPredictions(Setup.Task, Setup.Classes, labels, probabilities, null);
    }

    /// <summary>The first index of the largest value (as ONNX ArgMax does).</summary>
    internal static int ArgMax(ReadOnlySpan<float> values)
    {
        var best = 0;
        for (var i = 1; i < values.Length; i++)
        {
            if (values[i] > values[best])
            {
                best = i;
            }
        }

        return best;
    }

    private static float[] ReadFloats(IDataView scored, string column, int rows)
    {
        var result = new float[rows];
        using var cursor = scored.GetRowCursor([scored.Schema[column]]);
        var getter = cursor.GetGetter<float>(scored.Schema[column]);
        var row = 0;
        while (cursor.MoveNext())
        {
            getter(ref result[row]);
            row++;
        }

        return result;
    }
}
