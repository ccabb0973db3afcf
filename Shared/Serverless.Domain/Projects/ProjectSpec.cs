using Serverless.Domain.Models;

namespace Serverless.Domain.Projects;

/// <summary>
/// A project's training and operating spec (<c>datasets/{project}/project.json</c> or
/// <c>PUT /api/projects/{project}</c>). Every field is optional; <see cref="Default"/> trains with inferred defaults.
/// </summary>
public sealed record ProjectSpec
{
    public static ProjectSpec Default { get; } = new();

    /// <summary>The label column; inferred (<c>label</c>, else <c>target</c>, else the last column) when null.</summary>
    public string? Label { get; init; }

    /// <summary>The task; inferred from the label's values when null.</summary>
    public TaskKind? Task { get; init; }

    /// <summary>Feature columns; all but the label and <see cref="Ignore"/> when null.</summary>
    public IReadOnlyList<string>? Features { get; init; }

    public IReadOnlyList<string> Ignore { get; init; } = [];

    /// <summary>Trainer names: <c>lightgbm</c>, <c>fasttree</c>, <c>fastforest</c>, <c>linear</c>.</summary>
    public IReadOnlyList<string> Trainers { get; init; } = TrainerNames.All;

    /// <summary>Per trainer, per hyperparameter, the values to try (a grid).</summary>
    public IReadOnlyDictionary<string, IReadOnlyDictionary<string, IReadOnlyList<double>>> Sweep { get; init; } =
        new Dictionary<string, IReadOnlyDictionary<string, IReadOnlyList<double>>>();

    /// <summary>How hyperparameters are searched: strategy (auto, grid, random, bayesian), budget and most candidates.</summary>
    public SearchSpec Search { get; init; } = new();

    /// <summary>The metric that picks the best candidate and that gates compare; a task default when null.</summary>
    public string? Metric { get; init; }

    public SplitSpec Split { get; init; } = new();

    public ValidationSpec Validation { get; init; } = new();

    public GateSpec Gates { get; init; } = new();

    /// <summary>Columns whose values split the test rows into slices, each measured on its own (fairness); none when empty.</summary>
    public IReadOnlyList<string> Slices { get; init; } = [];

    public PromotionMode Promotion { get; init; } = PromotionMode.Auto;

    public TimeSpan ApprovalTimeout { get; init; } = TimeSpan.FromDays(3);

    /// <summary>NCRONTAB (with seconds) for scheduled retraining; none when null.</summary>
    public string? Schedule { get; init; }

    public MonitoringSpec Monitoring { get; init; } = new();
}

public static class TrainerNames
{
    public const string LightGbm = "lightgbm";
    public const string FastTree = "fasttree";
    public const string FastForest = "fastforest";
    public const string Linear = "linear";

    public static IReadOnlyList<string> All { get; } = [LightGbm, FastTree, FastForest, Linear];
}

public enum PromotionMode
{
    Auto,
    Manual,
}

/// <summary>Fractions of rows held out for test and validation, and the seed that makes the split repeatable.</summary>
public sealed record SplitSpec(double Test = 0.2, double Validation = 0.1, int Seed = 42);

public sealed record ValidationSpec
{
    public int MinRows { get; init; } = 10;

    public double MaxMissingFraction { get; init; } = 0.5;

    public IReadOnlyDictionary<string, ColumnExpectation> Columns { get; init; } = new Dictionary<string, ColumnExpectation>();
}

/// <summary>What a column must look like: <c>type</c> is <c>number</c>, <c>category</c>, <c>boolean</c>, <c>text</c> or <c>datetime</c>.</summary>
public sealed record ColumnExpectation
{
    public string? Type { get; init; }

    public double? Min { get; init; }

    public double? Max { get; init; }

    public bool Required { get; init; }

    public IReadOnlyList<string>? Values { get; init; }
}

/// <summary>Quality gates a candidate must pass to be promoted.</summary>
public sealed record GateSpec
{
    /// <summary>Minimum value per metric (for error metrics like <c>rmse</c>, a maximum).</summary>
    public IReadOnlyDictionary<string, double> Min { get; init; } = new Dictionary<string, double>();

    /// <summary>How much better than production (in the project metric) the candidate must be; null: no comparison.</summary>
    public double? MustBeatProductionBy { get; init; } = 0.0;

    /// <summary>Per metric, the largest allowed gap between the best and the worst slice of any <see cref="ProjectSpec.Slices"/> column.</summary>
    public IReadOnlyDictionary<string, double> MaxSliceGap { get; init; } = new Dictionary<string, double>();
}

public sealed record MonitoringSpec
{
    public string? Schedule { get; init; }

    public double DriftShare { get; init; } = 0.5;

    public bool RetrainOnDrift { get; init; }
}
