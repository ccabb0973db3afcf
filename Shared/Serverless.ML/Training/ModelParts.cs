using Microsoft.ML;
using Microsoft.ML.Calibrators;
using Microsoft.ML.Data;

namespace Serverless.ML.Training;

/// <summary>The trained predictor inside an ML.NET model, and the Platt calibrator appended after it (if any).</summary>
public sealed record ModelParts(object Predictor, PlattCalibrator? Calibrator)
{
    /// <exception cref="InvalidOperationException">The model holds no predictor.</exception>
    public static ModelParts From(ITransformer model)
    {
        ArgumentNullException.ThrowIfNull(model);
        object? predictor = null;
        PlattCalibrator? calibrator = null;
        IEnumerable<ITransformer> transformers = model is IEnumerable<ITransformer> chain ? chain : [model];
        foreach (var transformer in transformers)
        {
            if (transformer is CalibratorTransformer<PlattCalibrator> platt)
            {
                calibrator = ((ISingleFeaturePredictionTransformer<PlattCalibrator>)platt).Model;
            }
            else if (transformer is ISingleFeaturePredictionTransformer<object> scorer)
            {
                predictor = scorer.Model;
            }
        }

        return new ModelParts(predictor ?? throw new InvalidOperationException("The ML.NET model holds no predictor."), calibrator);
    }
}
