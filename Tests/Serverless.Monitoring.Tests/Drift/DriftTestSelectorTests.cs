using Serverless.Monitoring.Drift;

namespace Serverless.Monitoring.Tests.Drift;

public sealed class DriftTestSelectorTests
{
    private static readonly DriftOptions Defaults = new();

    [Theory]
    [InlineData(false, 1000, 50, DriftMethod.KolmogorovSmirnov, 0.05)]
    [InlineData(true, 1000, 2, DriftMethod.ProportionsZTest, 0.05)]
    [InlineData(true, 800, 3, DriftMethod.ChiSquared, 0.05)]
    [InlineData(true, 10, 1, DriftMethod.ChiSquared, 0.05)]
    [InlineData(false, 1001, 50, DriftMethod.NormalisedWasserstein, 0.1)]
    [InlineData(true, 1001, 2, DriftMethod.JensenShannon, 0.1)]
    [InlineData(true, 50_000, 7, DriftMethod.JensenShannon, 0.1)]
    public void Follows_evidently_defaults(bool categorical, long referenceSize, int distinct, DriftMethod method, double threshold)
    {
        var test = DriftTestSelector.Select("f", categorical, referenceSize, distinct, Defaults);
        Assert.Equal(new DriftTest(method, threshold), test);
    }

    [Fact]
    public void Psi_can_be_chosen_per_feature_or_for_all()
    {
        var perFeature = new DriftOptions { PsiThreshold = 0.2 };
        perFeature.PsiFeatures.Add("income");
        Assert.Equal(new DriftTest(DriftMethod.PopulationStabilityIndex, 0.2), DriftTestSelector.Select("income", false, 500, 100, perFeature));
        Assert.Equal(DriftMethod.KolmogorovSmirnov, DriftTestSelector.Select("age", false, 500, 100, perFeature).Method);

        var all = new DriftOptions { UsePsiForAllFeatures = true };
        Assert.Equal(new DriftTest(DriftMethod.PopulationStabilityIndex, 0.1), DriftTestSelector.Select("age", true, 5000, 3, all));
    }

    [Fact]
    public void Numeric_features_with_few_distinct_values_are_tested_as_categories()
    {
        var random = new Random(3);
        var reference = Enumerable.Range(0, 500).Select(_ => (double)random.Next(0, 2)).ToArray();
        var current = Enumerable.Range(0, 100).Select(_ => (double)random.Next(0, 2)).ToArray();
        var drift = FeatureDriftCheck.Evaluate(
            new FeatureComparison(new FeatureReference.Numeric("smoker", reference), new FeatureCurrent.Numeric("smoker", current)), Defaults);
        Assert.Equal(DriftMethod.ProportionsZTest, drift.Test);

        var fourLevels = Enumerable.Range(0, 500).Select(i => (double)(i % 4)).ToArray();
        var levelsDrift = FeatureDriftCheck.Evaluate(
            new FeatureComparison(new FeatureReference.Numeric("grade", fourLevels), new FeatureCurrent.Numeric("grade", fourLevels[..100])), Defaults);
        Assert.Equal(DriftMethod.ChiSquared, levelsDrift.Test);
        Assert.Equal(DriftVerdict.NoDrift, levelsDrift.Verdict);
    }

    [Fact]
    public void Mismatched_names_and_kinds_are_rejected_with_the_feature_name()
    {
        var mismatch = Assert.Throws<ArgumentException>(() => FeatureDriftCheck.Evaluate(
            new FeatureComparison(new FeatureReference.Numeric("age", [1, 2]), new FeatureCurrent.Numeric("income", [1, 2])), Defaults));
        Assert.Contains("'age'", mismatch.Message, StringComparison.Ordinal);
        Assert.Contains("'income'", mismatch.Message, StringComparison.Ordinal);

        var kind = Assert.Throws<ArgumentException>(() => FeatureDriftCheck.Evaluate(
            new FeatureComparison(new FeatureReference.Numeric("age", [1, 2]), new FeatureCurrent.Categorical("age", ["x"])), Defaults));
        Assert.Contains("'age'", kind.Message, StringComparison.Ordinal);
    }
}
