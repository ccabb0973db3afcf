namespace Serverless.Monitoring.Drift;

/// <summary>
/// Chooses the drift test per feature as Evidently does by default. With a reference of at most
/// <see cref="DriftOptions.SmallSampleLimit"/> values: numeric features with more than
/// <see cref="DriftOptions.MaximumDistinctForCategorical"/> distinct values use Kolmogorov-Smirnov; categorical
/// ones (and numeric ones with few distinct values) use chi-squared, or the two-proportions z-test when there
/// are exactly two categories; all drift at p &lt; 0.05. Larger references: numeric features use the normalised
/// Wasserstein distance, categorical ones (and numeric ones with few values) Jensen-Shannon; both drift at ≥ 0.1.
/// PSI replaces the choice for the features listed in <see cref="DriftOptions.PsiFeatures"/> or for all.
/// </summary>
public static class DriftTestSelector
{
    /// <summary>The test for a feature.</summary>
    /// <param name="featureName">The feature, for PSI selection.</param>
    /// <param name="treatAsCategorical">Categorical, or numeric with few distinct values.</param>
    /// <param name="referenceSize">The number of non-missing reference values.</param>
    /// <param name="distinctValues">Distinct values over reference and current together (as Evidently counts them).</param>
    /// <param name="options">Thresholds and limits.</param>
    public static DriftTest Select(string featureName, bool treatAsCategorical, long referenceSize, int distinctValues, DriftOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.UsePsiForAllFeatures || options.PsiFeatures.Contains(featureName))
        {
            return new DriftTest(DriftMethod.PopulationStabilityIndex, options.PsiThreshold);
        }

        if (referenceSize <= options.SmallSampleLimit)
        {
            if (!treatAsCategorical)
            {
                return new DriftTest(DriftMethod.KolmogorovSmirnov, options.PValueThreshold);
            }

            return distinctValues == 2
                ? new DriftTest(DriftMethod.ProportionsZTest, options.PValueThreshold)
                : new DriftTest(DriftMethod.ChiSquared, options.PValueThreshold);
        }

        return treatAsCategorical
            ? new DriftTest(DriftMethod.JensenShannon, options.JensenShannonThreshold)
            : new DriftTest(DriftMethod.NormalisedWasserstein, options.WassersteinThreshold);
    }
}
