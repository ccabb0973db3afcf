namespace Serverless.Domain.Projects;

/// <summary>
/// The bounds a project spec must stay within, so that no spec can make training or its timers take a host's
/// resources: hyperparameter ranges, the size of a sweep grid, the shortest schedule interval and the longest
/// approval wait. <see cref="ProjectSpecSerializer"/> rejects a spec outside them with the field named.
/// </summary>
public static class ProjectSpecLimits
{
    /// <summary>Most candidates one run may train (every trainer's grid together; an unswept trainer is one).</summary>
    public const int MaxSweepCandidates = 64;

    /// <summary>Most candidates a <c>search</c> may train (<c>search.maxCandidates</c>).</summary>
    public const int MaxSearchCandidates = 64;

    /// <summary>The longest <c>search.budget</c>.</summary>
    public static readonly TimeSpan MaxSearchBudget = TimeSpan.FromHours(2);

    /// <summary>Most <c>slices</c> columns, and most distinct values measured per slice column (the most frequent).</summary>
    public const int MaxSliceColumns = 8;

    public const int MaxSliceValues = 50;

    /// <summary>The shortest interval between two firings of <c>schedule</c> or <c>monitoring.schedule</c>.</summary>
    public static readonly TimeSpan MinScheduleInterval = TimeSpan.FromMinutes(5);

    /// <summary>The longest <c>approvalTimeout</c> (a run holds its project's run slot while it waits).</summary>
    public static readonly TimeSpan MaxApprovalTimeout = TimeSpan.FromDays(30);

    /// <summary>The hyperparameters a sweep may name, with their allowed ranges.</summary>
    public static IReadOnlyDictionary<string, HyperparameterRange> Hyperparameters { get; } =
        new Dictionary<string, HyperparameterRange>(StringComparer.OrdinalIgnoreCase)
        {
            ["numberOfTrees"] = HyperparameterRange.Whole(1, 2000),
            ["maximumNumberOfIterations"] = HyperparameterRange.Whole(1, 2000),
            ["numberOfLeaves"] = HyperparameterRange.Whole(2, 1024),
            ["minimumExampleCountPerLeaf"] = HyperparameterRange.Whole(1, 100_000),
            ["learningRate"] = new HyperparameterRange(0, 1, MinimumExclusive: true, WholeNumbers: false),
            ["l2Regularization"] = new HyperparameterRange(0, 1000, MinimumExclusive: false, WholeNumbers: false),
        };
}

/// <summary>An allowed range of a hyperparameter: <see cref="Minimum"/> (exclusive when <see cref="MinimumExclusive"/>) to <see cref="Maximum"/>.</summary>
public sealed record HyperparameterRange(double Minimum, double Maximum, bool MinimumExclusive, bool WholeNumbers)
{
    public static HyperparameterRange Whole(int minimum, int maximum) => new(minimum, maximum, MinimumExclusive: false, WholeNumbers: true);

    public bool Contains(double value) =>
        double.IsFinite(value)
        && (MinimumExclusive ? value > Minimum : value >= Minimum)
        && value <= Maximum
        && (!WholeNumbers || value == Math.Floor(value));

    /// <summary>How the range reads in an error: <c>a whole number from 1 to 2000</c>, <c>greater than 0 and at most 1</c>.</summary>
    public string Describe() =>
        WholeNumbers ? $"a whole number from {Minimum} to {Maximum}"
        : MinimumExclusive ? $"greater than {Minimum} and at most {Maximum}"
        : $"from {Minimum} to {Maximum}";
}
