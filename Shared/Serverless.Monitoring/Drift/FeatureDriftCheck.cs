using System.Globalization;
using Serverless.Domain.Datasets;
using Serverless.Monitoring.Statistics;

namespace Serverless.Monitoring.Drift;

/// <summary>
/// Checks one feature for drift: drops missing values, picks the test with <see cref="DriftTestSelector"/>,
/// refuses to guess on too little data, runs the test and applies its threshold.
/// </summary>
public static class FeatureDriftCheck
{
    /// <summary>Evaluates one feature (or the model's output).</summary>
    public static FeatureDrift Evaluate(FeatureComparison comparison, DriftOptions options)
    {
        ArgumentNullException.ThrowIfNull(comparison);
        ArgumentNullException.ThrowIfNull(options);
        if (!string.Equals(comparison.Reference.Name, comparison.Current.Name, StringComparison.Ordinal))
        {
            throw new ArgumentException($"The reference of feature '{comparison.Reference.Name}' is compared with the current values of feature '{comparison.Current.Name}'.", nameof(comparison));
        }

        return comparison.Reference switch
        {
            FeatureReference.Numeric numeric => EvaluateNumeric(numeric, comparison.Current, options),
            FeatureReference.Categorical categorical => EvaluateCategorical(categorical, comparison.Current, options),
            _ => throw new ArgumentException($"Feature '{comparison.Name}' has an unsupported reference type {comparison.Reference.GetType().Name}.", nameof(comparison)),
        };
    }

    private static FeatureDrift EvaluateNumeric(FeatureReference.Numeric reference, FeatureCurrent current, DriftOptions options)
    {
        var name = reference.Name;
        var referenceValues = reference.Sample.Where(v => !double.IsNaN(v)).ToArray();
        var currentValues = current switch
        {
            FeatureCurrent.Numeric numeric => numeric.Values.Where(v => !double.IsNaN(v)).ToArray(),
            _ => throw new ArgumentException($"Feature '{name}' has a numeric reference but categorical current values; pass the current values as numbers."),
        };

        var distinct = referenceValues.Concat(currentValues).Distinct().Count();
        var asCategorical = distinct <= options.MaximumDistinctForCategorical;
        var test = DriftTestSelector.Select(name, asCategorical, referenceValues.Length, distinct, options);
        if (!HasEnoughData(referenceValues.Length, currentValues.Length, options))
        {
            return Insufficient(name, ColumnKind.Numeric, test, referenceValues.Length, currentValues.Length);
        }

        var result = asCategorical
            ? RunCategorical(test, CategoryCounts.Count(referenceValues.Select(Label)), CategoryCounts.Count(currentValues.Select(Label)))
            : RunNumeric(test, referenceValues, currentValues, options);
        return Decide(name, ColumnKind.Numeric, test, result, referenceValues.Length, currentValues.Length);
    }

    private static FeatureDrift EvaluateCategorical(FeatureReference.Categorical reference, FeatureCurrent current, DriftOptions options)
    {
        var name = reference.Name;
        var referenceCounts = reference.Counts.Where(pair => pair.Value != 0).ToDictionary(StringComparer.Ordinal);
        if (referenceCounts.FirstOrDefault(pair => pair.Value < 0) is { Key: not null } negative)
        {
            throw new ArgumentException($"Feature '{name}': the reference count of category '{negative.Key}' is negative ({negative.Value}).");
        }

        var currentCounts = current switch
        {
            FeatureCurrent.Categorical categorical => CategoryCounts.Count(categorical.Values),
            FeatureCurrent.Numeric numeric => CategoryCounts.Count(numeric.Values.Where(v => !double.IsNaN(v)).Select(Label)),
            _ => throw new ArgumentException($"Feature '{name}' has unsupported current values {current.GetType().Name}."),
        };

        var referenceSize = referenceCounts.Values.Sum();
        var currentSize = currentCounts.Values.Sum();
        var distinct = referenceCounts.Keys.Union(currentCounts.Keys, StringComparer.Ordinal).Count();
        var test = DriftTestSelector.Select(name, treatAsCategorical: true, referenceSize, distinct, options);
        if (!HasEnoughData(referenceSize, currentSize, options))
        {
            return Insufficient(name, ColumnKind.Categorical, test, referenceSize, currentSize);
        }

        var result = RunCategorical(test, referenceCounts, currentCounts);
        return Decide(name, ColumnKind.Categorical, test, result, referenceSize, currentSize);
    }

    private static StatisticalTestResult RunNumeric(DriftTest test, double[] reference, double[] current, DriftOptions options) => test.Method switch
    {
        DriftMethod.KolmogorovSmirnov => KolmogorovSmirnovTest.Compute(reference, current),
        DriftMethod.NormalisedWasserstein => new StatisticalTestResult(WassersteinDistance.Normalised(reference, current), null),
        DriftMethod.PopulationStabilityIndex => new StatisticalTestResult(PopulationStabilityIndex.Compute(reference, current, options.PsiBins), null),
        _ => throw new InvalidOperationException($"{test.Method} does not apply to numeric values."),
    };

    private static StatisticalTestResult RunCategorical(DriftTest test, IReadOnlyDictionary<string, long> reference, IReadOnlyDictionary<string, long> current) => test.Method switch
    {
        DriftMethod.ChiSquared => ChiSquaredTest.Compute(reference, current),
        DriftMethod.ProportionsZTest => ProportionsZTest.Compute(reference, current),
        DriftMethod.JensenShannon => new StatisticalTestResult(JensenShannonDistance.Compute(reference, current), null),
        DriftMethod.PopulationStabilityIndex => new StatisticalTestResult(PopulationStabilityIndex.Compute(reference, current), null),
        _ => throw new InvalidOperationException($"{test.Method} does not apply to categories."),
    };

    private static bool HasEnoughData(long referenceSize, long currentSize, DriftOptions options) =>
        referenceSize > 0 && currentSize >= options.MinimumCurrentRows;

    private static FeatureDrift Insufficient(string name, ColumnKind kind, DriftTest test, long referenceSize, long currentSize) =>
        new(name, kind, test.Method, null, null, test.Threshold, DriftVerdict.InsufficientData, referenceSize, currentSize);

    private static FeatureDrift Decide(string name, ColumnKind kind, DriftTest test, StatisticalTestResult result, long referenceSize, long currentSize) =>
        new(name, kind, test.Method, result.Statistic, result.PValue, test.Threshold,
            test.IsDrift(result) ? DriftVerdict.Drift : DriftVerdict.NoDrift, referenceSize, currentSize);

    private static string Label(double value) => value.ToString("R", CultureInfo.InvariantCulture);
}
