using System.Collections;
using System.Reflection;
using Microsoft.ML.Trainers;

namespace Serverless.ML.Export;

/// <summary>How a one-versus-all model combines its per-class outputs.</summary>
internal enum OneVersusAllCombination
{
    /// <summary>The raw per-class scores.</summary>
    Raw,

    /// <summary>Each class's calibrated probability, divided by their sum.</summary>
    ProbabilityNormalization,

    /// <summary>Softmax of the raw (uncalibrated) per-class scores (LightGBM's native multiclass).</summary>
    Softmax,
}

/// <summary>
/// The per-class predictors of an ML.NET one-versus-all model (also what LightGBM's native multiclass model is made of)
/// and how it combines them. ML.NET keeps both non-public (<c>SubModelParameters</c> and the <c>_impl</c> strategy:
/// <c>ImplRaw</c>, <c>ImplDist</c>, <c>ImplSoftmax</c>), so they are read by reflection; a missing member (a different
/// ML.NET version) fails the export with a clear error, never a wrong model.
/// </summary>
internal static class OneVersusAllParts
{
    private const BindingFlags Instance = BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic;

    public static IReadOnlyList<object> SubModels(OneVersusAllModelParameters model)
    {
        var property = typeof(OneVersusAllModelParameters).GetProperty("SubModelParameters", Instance)
            ?? throw new NotSupportedException("This ML.NET version has no OneVersusAllModelParameters.SubModelParameters; one-versus-all models cannot be exported.");
        var value = property.GetValue(model) as IEnumerable
            ?? throw new NotSupportedException("OneVersusAllModelParameters.SubModelParameters is not a list.");
        return value.Cast<object>().ToList();
    }

    public static OneVersusAllCombination Combination(OneVersusAllModelParameters model)
    {
        var strategy = typeof(OneVersusAllModelParameters).GetField("_impl", Instance)?.GetValue(model)?.GetType().Name;
        return strategy switch
        {
            "ImplRaw" => OneVersusAllCombination.Raw,
            "ImplDist" => OneVersusAllCombination.ProbabilityNormalization,
            "ImplSoftmax" => OneVersusAllCombination.Softmax,
            _ => throw new NotSupportedException($"Unknown one-versus-all combination '{strategy ?? "(none)"}' in this ML.NET version; the model cannot be exported."),
        };
    }
}
