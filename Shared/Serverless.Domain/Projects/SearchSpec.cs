namespace Serverless.Domain.Projects;

/// <summary>How a run looks for hyperparameters (spec <c>search</c>).</summary>
public enum SearchStrategy
{
    /// <summary>The default: model-based (TPE-like) search over the trainers' ranges, starting from their defaults.</summary>
    Auto,

    /// <summary>The <c>sweep</c> grid, each combination once (the behaviour before <c>search</c> existed).</summary>
    Grid,

    /// <summary>Seeded random draws from the trainers' ranges.</summary>
    Random,

    /// <summary>The same model-based search as <see cref="Auto"/>, named explicitly.</summary>
    Bayesian,
}

/// <summary>
/// The hyperparameter search of a run. <see cref="Strategy"/> null means: <c>grid</c> when the spec has a <c>sweep</c>,
/// else <c>auto</c>. <see cref="Budget"/> and <see cref="MaxCandidates"/> null mean the defaults for the dataset's size
/// (<see cref="SearchDefaults"/>).
/// </summary>
public sealed record SearchSpec(SearchStrategy? Strategy = null, TimeSpan? Budget = null, int? MaxCandidates = null)
{
    /// <summary>The strategy a run uses given the spec's <paramref name="sweep"/>.</summary>
    public SearchStrategy EffectiveStrategy(bool hasSweep) => Strategy ?? (hasSweep ? SearchStrategy.Grid : SearchStrategy.Auto);
}

/// <summary>
/// Default search bounds. Small datasets get few candidates (each is cheap but every run in a test suite or a
/// retraining loop pays the per-candidate overhead of an activity, an ONNX export and a parity check); larger ones more.
/// </summary>
public static class SearchDefaults
{
    /// <summary>Rows under which a dataset is small: candidates are scored by k-fold cross-validation.</summary>
    public const int SmallDatasetRows = 10_000;

    /// <summary>The wall-clock budget when the spec gives none (checked between rounds; a round always finishes).</summary>
    public static readonly TimeSpan Budget = TimeSpan.FromMinutes(5);

    /// <summary>Candidates per trainer when the spec gives no <c>maxCandidates</c>: 3 under 1,000 rows, else 8 (at most <see cref="ProjectSpecLimits.MaxSearchCandidates"/> in all).</summary>
    public static int MaxCandidates(long rows, int trainers) =>
        Math.Min(ProjectSpecLimits.MaxSearchCandidates, Math.Max(1, trainers) * (rows < 1_000 ? 3 : 8));
}
