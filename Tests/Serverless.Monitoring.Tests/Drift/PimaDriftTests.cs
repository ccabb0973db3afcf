using System.Globalization;
using Microsoft.Extensions.Options;
using Serverless.Monitoring.Drift;
using Serverless.Testing;

namespace Serverless.Monitoring.Tests.Drift;

/// <summary>
/// Drift on a real dataset (Pima Indians diabetes, 768 rows, many missing values): a random half against the other
/// half shows no dataset drift; the older patients against a random half drift on age, pregnancies and the label.
/// </summary>
public sealed class PimaDriftTests
{
    private static readonly string[] Features = ["pregnant", "glucose", "pressure", "triceps", "insulin", "mass", "pedigree", "age"];
    private static readonly MonitoringWindow Window = new(DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch.AddDays(7));

    [Fact]
    public void Random_halves_do_not_drift_but_older_patients_do()
    {
        var shuffled = Load();
        new Random(42).Shuffle(shuffled);
        var reference = shuffled[..384];
        var holdout = shuffled[384..];
        var analyzer = new DriftAnalyzer(Options.Create(new DriftOptions()), TimeProvider.System);

        var same = analyzer.Analyze(Request(reference, holdout));
        Assert.False(same.DatasetDrift);
        Assert.Equal(DriftVerdict.NoDrift, Find(same, "age").Verdict);
        Assert.All(same.Features, f => Assert.Equal(DriftMethod.KolmogorovSmirnov, f.Test));
        Assert.Equal(DriftMethod.ProportionsZTest, same.Prediction!.Test);
        // insulin is missing in about half of the rows: only present values are compared.
        Assert.InRange(Find(same, "insulin").CurrentSize, 100, 300);

        var older = holdout.Where(r => r.Values[7] >= 40).ToArray();
        var shifted = analyzer.Analyze(Request(reference, older));
        Assert.Equal(DriftVerdict.Drift, Find(shifted, "age").Verdict);
        Assert.Equal(DriftVerdict.Drift, Find(shifted, "pregnant").Verdict);
        Assert.Equal(DriftVerdict.Drift, shifted.Prediction!.Verdict); // older patients are more often diabetic
        Assert.True(shifted.DriftedFeatures > same.DriftedFeatures);
    }

    private static FeatureDrift Find(DriftReport report, string name) => report.Features.Single(f => f.Name == name);

    private static DriftRequest Request(Row[] reference, Row[] current)
    {
        var features = Features.Select((name, k) => new FeatureComparison(
            new FeatureReference.Numeric(name, reference.Select(r => r.Values[k]).ToArray()),
            new FeatureCurrent.Numeric(name, current.Select(r => r.Values[k]).ToArray()))).ToArray();
        var label = new FeatureComparison(
            new FeatureReference.Categorical("diabetes", Serverless.Monitoring.Statistics.CategoryCounts.Count(reference.Select(r => (string?)r.Label))),
            new FeatureCurrent.Categorical("diabetes", current.Select(r => (string?)r.Label).ToArray()));
        return new DriftRequest("diabetes", "1", Window, features, label);
    }

    private static Row[] Load()
    {
        var lines = File.ReadAllLines(SharedData.PathOf("pima2.csv"));
        var header = lines[0].Split(',').Select(h => h.Trim('"')).ToArray();
        Assert.Equal([.. Features, "diabetes"], header);
        return lines.Skip(1).Where(l => l.Length > 0).Select(line =>
        {
            var cells = line.Split(',');
            var values = cells[..8].Select(c => c.Length == 0 ? double.NaN : double.Parse(c, CultureInfo.InvariantCulture)).ToArray();
            return new Row(values, cells[8].Trim('"'));
        }).ToArray();
    }

    private sealed record Row(double[] Values, string Label);
}
