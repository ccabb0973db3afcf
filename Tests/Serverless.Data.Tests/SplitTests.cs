using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Serverless.Data.Splitting;
using Serverless.Domain.Datasets;
using Serverless.Domain.Projects;
using Xunit;

namespace Serverless.Data.Tests;

public sealed class SplitTests
{
    [Property(MaxTest = 200)]
    public Property Split_is_disjoint_covering_and_repeatable(PositiveInt rows, byte classes, int seed, bool stratify)
    {
        var n = rows.Get % 500;
        var labels = Labels(n, 1 + (classes % 6));
        var spec = new SplitSpec(0.2, 0.1, seed);
        var a = DatasetSplitter.Split(n, stratify ? labels : null, spec);
        var b = DatasetSplitter.Split(n, stratify ? labels : null, spec);
        var all = a.Train.Concat(a.Validation).Concat(a.Test).Order().ToArray();
        return (all.SequenceEqual(Enumerable.Range(0, n))
                && a.Train.SequenceEqual(b.Train) && a.Validation.SequenceEqual(b.Validation) && a.Test.SequenceEqual(b.Test))
            .Label($"n={n}");
    }

    [Property(MaxTest = 100)]
    public Property A_split_written_as_row_indexes_reads_back_the_same(PositiveInt rows, byte classes, int seed)
    {
        var n = rows.Get % 3000;
        var split = DatasetSplitter.Split(n, Labels(n, 1 + (classes % 4)), new SplitSpec(0.2, 0.1, seed));
        var read = DatasetSplitSerializer.Read(DatasetSplitSerializer.Write(split), n);
        return (read.Train.SequenceEqual(split.Train) && read.Validation.SequenceEqual(split.Validation)
                && read.Test.SequenceEqual(split.Test) && read.Seed == split.Seed).Label($"n={n}");
    }

    [Fact]
    public void A_split_artifact_naming_rows_the_frame_lacks_or_cut_short_is_refused()
    {
        var bytes = DatasetSplitSerializer.Write(new DatasetSplit([0, 1, 5], [2], [3], 7));

        Assert.Contains("row 5", Assert.Throws<InvalidDataException>(() => DatasetSplitSerializer.Read(bytes, 5)).Message, StringComparison.Ordinal);
        Assert.Throws<InvalidDataException>(() => DatasetSplitSerializer.Read(bytes.AsSpan(0, bytes.Length - 4), 6));
        Assert.Throws<InvalidDataException>(() => DatasetSplitSerializer.Read("not a split at all"u8, 6));
        Assert.Equal([0, 1, 5], DatasetSplitSerializer.Read(bytes, 6).Train);
    }

    [Property(MaxTest = 100)]
    public Property Stratified_split_keeps_class_proportions_within_rounding(PositiveInt rows, byte classes, int seed)
    {
        var n = 20 + (rows.Get % 2000);
        var labels = Labels(n, 2 + (classes % 5));
        var split = DatasetSplitter.Split(n, labels, new SplitSpec(0.25, 0.15, seed));
        var ok = labels.Values.Distinct().All(c =>
        {
            var total = labels.Values.Count(v => v == c);
            var test = split.Test.Count(r => labels.Values[r] == c);
            var validation = split.Validation.Count(r => labels.Values[r] == c);
            return Math.Abs(test - (total * 0.25)) <= 1 && Math.Abs(validation - (total * 0.15)) <= 1;
        });
        return ok.Label($"n={n}");
    }

    [Fact]
    public void Same_seed_same_split_and_a_different_seed_a_different_one()
    {
        var labels = Labels(1000, 3);
        var a = DatasetSplitter.Split(1000, labels, new SplitSpec(0.2, 0.1, 42));
        var b = DatasetSplitter.Split(1000, labels, new SplitSpec(0.2, 0.1, 42));
        var c = DatasetSplitter.Split(1000, labels, new SplitSpec(0.2, 0.1, 43));
        Assert.Equal(a.Test, b.Test);
        Assert.NotEqual(a.Test, c.Test);
        Assert.Equal(1000, a.TrainCount + a.ValidationCount + a.TestCount);
        Assert.InRange(a.TestCount, 198, 202);
        Assert.InRange(a.ValidationCount, 98, 102);
    }

    [Fact]
    public void The_generator_is_pinned_so_splits_survive_runtime_upgrades()
    {
        var random = new StableRandom(42);
        Assert.Equal(0xBDD732262FEB6E95UL, random.NextUInt64());
        var split = DatasetSplitter.Split(10, null, new SplitSpec(0.2, 0.1, 42));
        Assert.Equal(2, split.Test.Length);
        Assert.Equal(split.Test, DatasetSplitter.Split(10, null, new SplitSpec(0.2, 0.1, 42)).Test);
    }

    [Fact]
    public void A_tiny_class_still_gets_a_test_row_and_keeps_a_train_row()
    {
        var values = Enumerable.Repeat("big", 98).Append("rare").Append("rare").ToArray();
        var split = DatasetSplitter.Split(100, new TextColumn("y", ColumnKind.Categorical, values), new SplitSpec(0.2, 0.1, 1));
        Assert.Single(split.Test, r => values[r] == "rare");
        Assert.Single(split.Train, r => values[r] == "rare");
    }

    [Fact]
    public void Validation_may_be_empty()
    {
        var split = DatasetSplitter.Split(50, null, new SplitSpec(0.2, 0, 5));
        Assert.Empty(split.Validation);
        Assert.Equal((40, 10), (split.TrainCount, split.TestCount));
    }

    [Fact]
    public async Task Ingested_classification_results_split_by_class()
    {
        var result = await Ingest.SharedAsync("pima2.csv", new ProjectSpec { Label = "diabetes" });
        var split = result.Split(new SplitSpec(0.2, 0.1, 42));
        var label = (TextColumn)result.Frame["diabetes"];
        Assert.Equal(54, split.Test.Count(r => label.Values[r] == "pos"));
        Assert.Equal(100, split.Test.Count(r => label.Values[r] == "neg"));
    }

    private static TextColumn Labels(int n, int classes) =>
        new("y", ColumnKind.Categorical, Enumerable.Range(0, n).Select(i => $"c{(i * 7 + (i / 3)) % classes}").ToArray());
}
