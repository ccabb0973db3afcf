using Serverless.Domain.Datasets;
using Serverless.Domain.Projects;
using Serverless.ML.Evaluation;
using Serverless.ML.Training;
using Xunit;
using Xunit.Abstractions;

namespace Serverless.ML.Tests;

public sealed class PermutationImportanceTests(ITestOutputHelper output)
{
    [Theory]
    [MemberData(nameof(ParityTests.TrainerByDataset), MemberType = typeof(ParityTests))]
    public void Every_input_gets_an_importance_sorted_most_important_first(string dataset, string trainer)
    {
        var data = Datasets.LoadWithHardCases(dataset);
        var candidate = CandidateTrainer.Train(data.Train, data.Validation, data.Setup(), Candidates.Small(trainer), CancellationToken.None);

        var importance = PermutationImportance.Compute(candidate, data.Test);

        output.WriteLine($"{dataset} {trainer}: {string.Join(", ", importance.Select(f => $"{f.Feature} {f.Importance:0.####}"))}");
        Assert.Equal(candidate.Setup.Inputs.Select(i => i.Name).Order(StringComparer.Ordinal), importance.Select(f => f.Feature).Order(StringComparer.Ordinal));
        Assert.Equal(importance.OrderByDescending(f => f.Importance).Select(f => f.Importance), importance.Select(f => f.Importance));
        Assert.True(importance[0].Importance > 0, $"the top feature {importance[0].Feature} should matter: {importance[0].Importance}");
        Assert.All(importance, f => Assert.False(double.IsNaN(f.Importance), f.Feature));
    }

    [Fact]
    public void A_feature_the_label_is_built_from_outranks_pure_noise()
    {
        // y = 3·signal + small noise; the noise column is independent of y.
        var random = new Random(5);
        const int rows = 400;
        var signal = Enumerable.Range(0, rows).Select(_ => random.NextDouble()).ToArray();
        var noise = Enumerable.Range(0, rows).Select(_ => random.NextDouble()).ToArray();
        var y = signal.Select(s => (3 * s) + (random.NextDouble() * 0.05)).ToArray();
        var frame = new TabularFrame([new NumericColumn("signal", signal), new NumericColumn("noise", noise), new NumericColumn("y", y)]);
        var train = frame.Take(Enumerable.Range(0, 300).ToList());
        var test = frame.Take(Enumerable.Range(300, 100).ToList());
        var setup = TrainingSetup.FromTrainingFrame(train, "y", Serverless.Domain.Models.TaskKind.Regression, ["signal", "noise"], 3);
        var candidate = CandidateTrainer.Train(train, test, setup, Candidates.Small(TrainerNames.FastTree), CancellationToken.None);

        var importance = PermutationImportance.Compute(candidate, test);

        Assert.Equal("signal", importance[0].Feature);
        Assert.True(importance[0].Importance > 10 * Math.Abs(importance[1].Importance), $"signal {importance[0].Importance}, noise {importance[1].Importance}");
    }

    [Fact]
    public void Large_test_splits_are_sampled_evenly_down_to_the_row_cap_and_rows_without_a_label_are_left_out()
    {
        const int rows = (PermutationImportance.MaxRows * 2) + 501;
        var x = Enumerable.Range(0, rows).Select(i => (double)i).ToArray();
        var y = Enumerable.Range(0, rows).Select(i => i == 7 ? double.NaN : i * 2.0).ToArray();
        var frame = new TabularFrame([new NumericColumn("x", x), new NumericColumn("y", y)]);
        var setup = TrainingSetup.FromTrainingFrame(frame.Take(Enumerable.Range(0, 100).ToList()), "y", Serverless.Domain.Models.TaskKind.Regression, ["x"], 3);

        var sampled = PermutationImportance.KnownRows(frame, setup);

        Assert.Equal(PermutationImportance.MaxRows, sampled.RowCount);
        var kept = ((NumericColumn)sampled["x"]).Values;
        Assert.DoesNotContain(7.0, kept);
        Assert.Equal(0.0, kept[0]);
        Assert.True(kept[^1] > rows - 4, $"the sample ends at row {kept[^1]} of {rows}");
        Assert.Equal(kept.Length, kept.Distinct().Count());
        var small = frame.Take(Enumerable.Range(0, 50).ToList());
        Assert.Equal(49, PermutationImportance.KnownRows(small, setup).RowCount);
    }
}
