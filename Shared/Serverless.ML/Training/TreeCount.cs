using Microsoft.ML;
using Microsoft.ML.Calibrators;
using Microsoft.ML.Trainers;
using Microsoft.ML.Trainers.FastTree;
using Serverless.ML.Export;

namespace Serverless.ML.Training;

/// <summary>The boosting rounds a trained tree model kept (per class for multiclass models); null for models without trees.</summary>
internal static class TreeCount
{
    public static int? Of(ITransformer model)
    {
        var predictor = ModelParts.From(model).Predictor;
        if (predictor is OneVersusAllModelParameters ova)
        {
            predictor = OneVersusAllParts.SubModels(ova)[0];
        }

        if (predictor is CalibratedModelParametersBase calibrated)
        {
            predictor = calibrated.SubModel;
        }

        return predictor is TreeEnsembleModelParametersBasedOnRegressionTree trees ? trees.TrainedTreeEnsemble.Trees.Count : null;
    }
}
