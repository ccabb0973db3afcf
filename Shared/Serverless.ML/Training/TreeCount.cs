using System.Collections;
using System.Reflection;
using Microsoft.ML;
using Microsoft.ML.Calibrators;
using Microsoft.ML.Data;
using Microsoft.ML.Trainers;
using Microsoft.ML.Trainers.FastTree;

namespace Serverless.ML.Training;

/// <summary>The boosting rounds a trained tree model kept (per class for multiclass models); null for models without trees.</summary>
internal static class TreeCount
{
    public static int? Of(ITransformer model)
    {
        IEnumerable<ITransformer> chain = model is IEnumerable<ITransformer> transformers ? transformers : [model];
        var predictor = chain.OfType<ISingleFeaturePredictionTransformer<object>>()
            .Select(scorer => scorer.Model)
            .FirstOrDefault(parameters => parameters is not PlattCalibrator);
        if (predictor is OneVersusAllModelParameters ova)
        {
            predictor = FirstClassModel(ova);
        }

        if (predictor is CalibratedModelParametersBase calibrated)
        {
            predictor = calibrated.SubModel;
        }

        return predictor is TreeEnsembleModelParametersBasedOnRegressionTree trees ? trees.TrainedTreeEnsemble.Trees.Count : null;
    }

    /// <summary>
    /// The first per-class predictor of a one-versus-all model (what LightGBM's native multiclass model is made of).
    /// ML.NET keeps the list non-public (<c>SubModelParameters</c>); a different ML.NET version without it gives null (no count), never a wrong one.
    /// </summary>
    private static object? FirstClassModel(OneVersusAllModelParameters model) =>
        typeof(OneVersusAllModelParameters)
            .GetProperty("SubModelParameters", BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic)?
            .GetValue(model) is IEnumerable classes
            ? classes.Cast<object>().FirstOrDefault()
            : null;
}
