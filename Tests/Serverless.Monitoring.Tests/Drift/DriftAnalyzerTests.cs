using System.Text.Json;
using Microsoft.Extensions.Options;
using Serverless.Domain.Datasets;
using Serverless.Monitoring.Drift;

namespace Serverless.Monitoring.Tests.Drift;

public sealed class DriftAnalyzerTests
{
    private static readonly MonitoringWindow Window = new(new DateTimeOffset(2026, 11, 1, 0, 0, 0, TimeSpan.Zero), new DateTimeOffset(2026, 11, 2, 0, 0, 0, TimeSpan.Zero));

    private static DriftAnalyzer Analyzer(DriftOptions? options = null) => new(Options.Create(options ?? new DriftOptions()), TimeProvider.System);

    // Small sample: references of 800 (≤ 1000) use KS, chi-squared and the z-test.
    // Large sample: references of 5000 (> 1000) use normalised Wasserstein and Jensen-Shannon.
    [Theory]
    [InlineData(800, 300, DriftMethod.KolmogorovSmirnov, DriftMethod.ChiSquared, DriftMethod.ProportionsZTest)]
    [InlineData(5000, 2000, DriftMethod.NormalisedWasserstein, DriftMethod.JensenShannon, DriftMethod.JensenShannon)]
    public void Injected_drift_flags_exactly_the_changed_features(int referenceSize, int currentSize, DriftMethod numeric, DriftMethod color, DriftMethod flag)
    {
        var features = DriftScenario.Draw(new Random(20261122), referenceSize, currentSize, new HashSet<int> { 1, 4 }, changeColor: true);
        var report = Analyzer().Analyze(new DriftRequest("churn", "3", Window, features));

        var drifted = report.Features.Where(f => f.Verdict == DriftVerdict.Drift).Select(f => f.Name).ToArray();
        Assert.Equal(["x1", "x4", "color"], drifted);
        Assert.All(report.Features.Take(6), f => Assert.Equal(numeric, f.Test));
        Assert.Equal(color, report.Features[6].Test);
        Assert.Equal(flag, report.Features[7].Test);
        Assert.All(report.Features, f =>
        {
            Assert.Equal(currentSize, f.CurrentSize);
            Assert.Equal(referenceSize, f.ReferenceSize);
            Assert.NotNull(f.Statistic);
            Assert.Equal(f.Name.StartsWith('x') ? ColumnKind.Numeric : ColumnKind.Categorical, f.Kind);
        });

        // 3 of 8 drifted: 0.375 < 0.5, so the dataset as a whole has not drifted.
        Assert.Equal(8, report.EvaluatedFeatures);
        Assert.Equal(3, report.DriftedFeatures);
        Assert.Equal(0.375, report.DriftedShare);
        Assert.False(report.DatasetDrift);

        // The same data with a lower drift share: dataset drift.
        Assert.True(Analyzer(new DriftOptions { DriftShare = 0.375 }).Analyze(new DriftRequest("churn", "3", Window, features)).DatasetDrift);
        var perProject = Analyzer().Analyze(new DriftRequest("churn", "3", Window, features, DriftShare: 0.3));
        Assert.True(perProject.DatasetDrift);
        Assert.Equal(0.3, perProject.DriftShareThreshold);
    }

    [Fact]
    public void Psi_for_all_features_flags_the_same_injected_drift()
    {
        // Under no drift PSI with 10 bins is about (bins - 1)(1/n_cur + 1/n_ref) ≈ 0.04 here; a 1-σ shift gives ≈ 1.
        var features = DriftScenario.Draw(new Random(20261122), 800, 300, new HashSet<int> { 1, 4 }, changeColor: true);
        var report = Analyzer(new DriftOptions { UsePsiForAllFeatures = true, PsiThreshold = 0.2 }).Analyze(new DriftRequest("churn", "3", Window, features));

        Assert.All(report.Features, f => Assert.Equal(DriftMethod.PopulationStabilityIndex, f.Test));
        Assert.All(report.Features, f => Assert.Equal(0.2, f.Threshold));
        Assert.Equal(["x1", "x4", "color"], report.Features.Where(f => f.Verdict == DriftVerdict.Drift).Select(f => f.Name));
        Assert.All(report.Features, f => Assert.Null(f.PValue));
    }

    [Fact]
    public void Dataset_drift_follows_the_share_rule()
    {
        var features = DriftScenario.Draw(new Random(11), 800, 300, new HashSet<int> { 0, 1, 2, 3 }, changeColor: false);
        var report = Analyzer().Analyze(new DriftRequest("churn", "3", Window, features));
        Assert.Equal(4, report.DriftedFeatures);
        Assert.Equal(0.5, report.DriftedShare);
        Assert.True(report.DatasetDrift);
        Assert.True(report.AnyDrift);
    }

    [Fact]
    public void Too_few_current_rows_give_insufficient_data_and_no_statistic()
    {
        var features = DriftScenario.Draw(new Random(5), 800, 29, new HashSet<int> { 0, 1, 2, 3, 4, 5 }, changeColor: true);
        var report = Analyzer().Analyze(new DriftRequest("churn", "3", Window, features));
        Assert.All(report.Features, f =>
        {
            Assert.Equal(DriftVerdict.InsufficientData, f.Verdict);
            Assert.Null(f.Statistic);
            Assert.Null(f.PValue);
            Assert.Equal(29, f.CurrentSize);
        });
        Assert.Equal(0, report.EvaluatedFeatures);
        Assert.False(report.DatasetDrift);
    }

    [Fact]
    public void The_share_counts_only_features_with_data_and_missing_values_are_dropped()
    {
        var random = new Random(9);
        var sparse = Gaussian.Sample(random, 300).Select((v, i) => i % 20 == 0 ? v + 5 : double.NaN).ToArray(); // 15 values
        var shifted = Gaussian.Sample(random, 300, mean: 1);
        var features = new[]
        {
            new FeatureComparison(new FeatureReference.Numeric("sparse", Gaussian.Sample(random, 500)), new FeatureCurrent.Numeric("sparse", sparse)),
            new FeatureComparison(new FeatureReference.Numeric("shifted", Gaussian.Sample(random, 500)), new FeatureCurrent.Numeric("shifted", shifted)),
            new FeatureComparison(new FeatureReference.Numeric("steady", Gaussian.Sample(random, 500)), new FeatureCurrent.Numeric("steady", Gaussian.Sample(random, 300))),
        };
        var report = Analyzer().Analyze(new DriftRequest("m", "1", Window, features));
        Assert.Equal(DriftVerdict.InsufficientData, report.Features[0].Verdict);
        Assert.Equal(15, report.Features[0].CurrentSize);
        Assert.Equal(2, report.EvaluatedFeatures);
        Assert.Equal(0.5, report.DriftedShare);
        Assert.True(report.DatasetDrift);
    }

    [Fact]
    public void Prediction_drift_uses_the_same_tests_on_model_outputs()
    {
        var random = new Random(17);
        var features = DriftScenario.Draw(random, 800, 300, new HashSet<int>(), changeColor: false);
        var values = new FeatureComparison(
            new FeatureReference.Numeric("prediction", Gaussian.Sample(random, 1000, 50, 10)),
            new FeatureCurrent.Numeric("prediction", Gaussian.Sample(random, 400, 60, 10)));
        var report = Analyzer().Analyze(new DriftRequest("price", "7", Window, features, values));
        Assert.NotNull(report.Prediction);
        Assert.Equal(DriftMethod.KolmogorovSmirnov, report.Prediction.Test);
        Assert.Equal(DriftVerdict.Drift, report.Prediction.Verdict);
        Assert.True(report.AnyDrift);

        var labels = new FeatureComparison(
            new FeatureReference.Categorical("prediction", new Dictionary<string, long> { ["churn"] = 300, ["stay"] = 700 }),
            new FeatureCurrent.Categorical("prediction", Gaussian.Categories(random, 500, [("churn", 0.3), ("stay", 0.7)])));
        var labelReport = Analyzer().Analyze(new DriftRequest("churn", "3", Window, features, labels));
        Assert.Equal(DriftMethod.ProportionsZTest, labelReport.Prediction!.Test);
        Assert.Equal(DriftVerdict.NoDrift, labelReport.Prediction.Verdict);
    }

    [Fact]
    public void Report_serializes_to_json_with_readable_enums()
    {
        var time = new FixedTime(new DateTimeOffset(2026, 11, 2, 3, 4, 5, TimeSpan.Zero));
        var features = DriftScenario.Draw(new Random(1), 800, 100, new HashSet<int> { 2 }, changeColor: false);
        var report = new DriftAnalyzer(Options.Create(new DriftOptions()), time).Analyze(new DriftRequest("churn", "3", Window, features));

        var json = JsonSerializer.Serialize(report, JsonSerializerOptions.Web);
        Assert.Contains("\"verdict\":\"Drift\"", json, StringComparison.Ordinal);
        Assert.Contains("\"test\":\"KolmogorovSmirnov\"", json, StringComparison.Ordinal);
        Assert.Contains("\"kind\":\"Categorical\"", json, StringComparison.Ordinal);
        Assert.Contains("\"computedAt\":\"2026-11-02T03:04:05+00:00\"", json, StringComparison.Ordinal);

        var back = JsonSerializer.Deserialize<DriftReport>(json, JsonSerializerOptions.Web)!;
        Assert.Equal(report.Window, back.Window);
        Assert.Equal(report.Features, back.Features);
        Assert.Equal(report.DatasetDrift, back.DatasetDrift);
    }

    [Fact]
    public void Invalid_requests_name_the_problem()
    {
        var features = DriftScenario.Draw(new Random(1), 100, 100, new HashSet<int>(), changeColor: false);
        var duplicate = Assert.Throws<ArgumentException>(() => Analyzer().Analyze(new DriftRequest("m", "1", Window, [features[0], features[0]])));
        Assert.Contains("'x0'", duplicate.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => Analyzer().Analyze(new DriftRequest("m", "1", new MonitoringWindow(Window.To, Window.From), features)));
        Assert.Throws<ArgumentOutOfRangeException>(() => Analyzer(new DriftOptions { DriftShare = 0 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => Analyzer().Analyze(new DriftRequest("m", "1", Window, features, DriftShare: 1.5)));
    }

    private sealed class FixedTime(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}
