using System.Text.Json;
using Serverless.Data.Profiling;
using Serverless.Domain.Datasets;
using Serverless.Domain.Projects;

namespace Serverless.Data.Tests;

public sealed class ProfileTests
{
    [Fact]
    public void Numeric_statistics_quantiles_and_histogram_are_exact_on_known_data()
    {
        var values = Enumerable.Range(1, 100).Select(i => (double)i).Append(double.NaN).ToArray();
        var profile = new DatasetProfiler(DatasetIngestionOptions.Default).Profile(new TabularFrame([new NumericColumn("x", values)]), null, false);

        var x = profile.Find("x")!;
        Assert.Equal((101, 1, 100), (x.Count, x.MissingCount, x.DistinctCount));
        var numeric = x.Numeric!;
        Assert.Equal((1.0, 100.0, 50.5), (numeric.Min, numeric.Max, numeric.Mean));
        Assert.Equal(29.011, numeric.StandardDeviation, 3);
        Assert.Equal(50.5, numeric.Quantiles["p50"]);
        Assert.Equal(25.75, numeric.Quantiles["p25"]);
        Assert.Equal(1.99, numeric.Quantiles["p1"], 6);
        Assert.Equal(21, numeric.Histogram.Edges.Count);
        Assert.All(numeric.Histogram.Counts, c => Assert.Equal(5, c));
        Assert.Equal(100, numeric.ReferenceSample.Count);
    }

    [Fact]
    public void Reference_sample_is_capped_deterministic_and_drawn_from_the_data()
    {
        var values = Enumerable.Range(0, 50_000).Select(i => Math.Sin(i) * 1000).ToArray();
        var frame = new TabularFrame([new NumericColumn("x", values)]);
        var profiler = new DatasetProfiler(DatasetIngestionOptions.Default);

        var a = profiler.Profile(frame, null, false).Find("x")!.Numeric!.ReferenceSample;
        var b = profiler.Profile(frame, null, false).Find("x")!.Numeric!.ReferenceSample;

        Assert.Equal(1000, a.Count);
        Assert.Equal(a, b);
        var set = values.ToHashSet();
        Assert.All(a, v => Assert.Contains(v, set));
        Assert.InRange(a.Average(), -100, 100);
    }

    [Fact]
    public async Task Categories_have_counts_frequencies_and_other_and_the_profile_is_json()
    {
        var options = DatasetIngestionOptions.Default with { TopCategories = 2 };
        var result = await Ingest.SharedAsync("servo.csv", new ProjectSpec { Label = "Class" });
        var profile = new DatasetProfiler(options).Profile(result.Frame, "Class", false);

        var motor = profile.Find("Motor")!.Categories!;
        Assert.Equal(2, motor.Top.Count);
        Assert.Equal(167, motor.Top.Sum(c => c.Count) + motor.OtherCount);
        Assert.Equal((double)motor.Top[0].Count / 167, motor.Top[0].Frequency, 9);
        Assert.Null(profile.ClassCounts);

        var json = JsonSerializer.Serialize(profile);
        var back = JsonSerializer.Deserialize<DatasetProfile>(json)!;
        Assert.Equal(profile.RowCount, back.RowCount);
        Assert.Equal(profile.Find("Class")!.Numeric!.ReferenceSample, back.Find("Class")!.Numeric!.ReferenceSample);
        Assert.Equal(ColumnKind.Categorical, back.Find("Motor")!.Kind);
    }
}
