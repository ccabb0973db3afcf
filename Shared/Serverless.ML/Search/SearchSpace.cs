using Serverless.Domain.Projects;
using Serverless.ML.Training;

namespace Serverless.ML.Search;

/// <summary>One searched hyperparameter: its range, whether it is searched on a log scale and whether it is whole.</summary>
public sealed record SearchAxis(string Name, double Minimum, double Maximum, bool Log, bool Whole)
{
    /// <summary>The value at <paramref name="unit"/> (0 to 1) along the axis.</summary>
    public double At(double unit)
    {
        var u = Math.Clamp(unit, 0, 1);
        var value = Log ? Math.Exp(Math.Log(Minimum) + (u * (Math.Log(Maximum) - Math.Log(Minimum)))) : Minimum + (u * (Maximum - Minimum));
        return Whole ? Math.Round(value) : Math.Round(value, 6);
    }

    /// <summary>Where <paramref name="value"/> lies along the axis (0 to 1).</summary>
    public double UnitOf(double value)
    {
        var v = Math.Clamp(value, Minimum, Maximum);
        return Log ? (Math.Log(v) - Math.Log(Minimum)) / (Math.Log(Maximum) - Math.Log(Minimum)) : (v - Minimum) / (Maximum - Minimum);
    }
}

/// <summary>
/// The ranges the search draws from, per trainer (within <see cref="ProjectSpecLimits.Hyperparameters"/>). Rates,
/// leaf counts and leaf sizes are searched on a log scale. LightGBM's <c>numberOfTrees</c> is not searched: it is a
/// ceiling, and early stopping on held-out rows chooses the number of trees.
/// </summary>
public static class SearchSpace
{
    /// <summary>The tree ceiling of searched LightGBM candidates (early stopping picks the count under it).</summary>
    public const double MaxBoostedTrees = 1000;

    private static readonly Dictionary<string, IReadOnlyList<SearchAxis>> Axes = new(StringComparer.Ordinal)
    {
        [TrainerNames.LightGbm] =
        [
            new("learningRate", 0.01, 0.3, Log: true, Whole: false),
            new("numberOfLeaves", 4, 64, Log: true, Whole: true),
            new("minimumExampleCountPerLeaf", 2, 50, Log: true, Whole: true),
            new("l2Regularization", 0.001, 10, Log: true, Whole: false),
        ],
        [TrainerNames.FastTree] =
        [
            new("learningRate", 0.01, 0.3, Log: true, Whole: false),
            new("numberOfLeaves", 4, 64, Log: true, Whole: true),
            new("minimumExampleCountPerLeaf", 2, 50, Log: true, Whole: true),
            new("numberOfTrees", 20, 500, Log: true, Whole: true),
        ],
        [TrainerNames.FastForest] =
        [
            new("numberOfLeaves", 4, 128, Log: true, Whole: true),
            new("minimumExampleCountPerLeaf", 1, 50, Log: true, Whole: true),
            new("numberOfTrees", 20, 300, Log: true, Whole: true),
        ],
        [TrainerNames.Linear] =
        [
            new("l2Regularization", 0.0001, 10, Log: true, Whole: false),
            new("maximumNumberOfIterations", 50, 500, Log: true, Whole: true),
        ],
    };

    /// <summary>
    /// A low-complexity start per boosted trainer, tried besides its defaults before random starts (like FLAML's
    /// low-cost initial point): few leaves, small leaves allowed, a slower rate and an L2 penalty, the configuration that
    /// does well on small tabular data where the defaults (31 leaves) overfit. Not a per-dataset setting.
    /// </summary>
    private static readonly Dictionary<string, IReadOnlyDictionary<string, double>> Starts = new(StringComparer.Ordinal)
    {
        [TrainerNames.LightGbm] = new Dictionary<string, double>(StringComparer.Ordinal)
        {
            ["learningRate"] = 0.05, ["numberOfLeaves"] = 8, ["minimumExampleCountPerLeaf"] = 5, ["l2Regularization"] = 1,
        },
    };

    /// <summary>The trainer's low-complexity start (<see cref="Starts"/>), or null when it has none.</summary>
    public static CandidateSpec? Start(string trainer)
    {
        if (!Starts.TryGetValue(trainer, out var start))
        {
            return null;
        }

        var unit = For(trainer).Select(a => a.UnitOf(start[a.Name])).ToArray();
        return At(trainer, unit);
    }

    /// <exception cref="ArgumentException">The trainer is unknown.</exception>
    public static IReadOnlyList<SearchAxis> For(string trainer) =>
        Axes.TryGetValue(trainer, out var axes) ? axes : throw new ArgumentException($"Unknown trainer '{trainer}'; expected one of {string.Join(", ", TrainerNames.All)}.", nameof(trainer));

    /// <summary>The candidate at a point of the trainer's unit cube (axes not searched keep their defaults).</summary>
    public static CandidateSpec At(string trainer, IReadOnlyList<double> unit)
    {
        var axes = For(trainer);
        var parameters = new Dictionary<string, double>(TrainerCatalog.Defaults[trainer], StringComparer.Ordinal);
        for (var i = 0; i < axes.Count; i++)
        {
            parameters[axes[i].Name] = axes[i].At(unit[i]);
        }

        if (trainer == TrainerNames.LightGbm)
        {
            parameters["numberOfTrees"] = MaxBoostedTrees;
        }

        return new CandidateSpec(trainer, parameters);
    }

    /// <summary>Where a candidate lies in its trainer's unit cube.</summary>
    public static double[] UnitOf(CandidateSpec candidate)
    {
        ArgumentNullException.ThrowIfNull(candidate);
        return For(candidate.Trainer).Select(a => a.UnitOf(candidate.Parameters.TryGetValue(a.Name, out var v) ? v : a.Minimum)).ToArray();
    }
}
