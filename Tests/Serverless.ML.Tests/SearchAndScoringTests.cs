using Serverless.Domain.Models;
using Serverless.Domain.Projects;
using Serverless.ML.Evaluation;
using Serverless.ML.Export;
using Serverless.ML.Search;
using Serverless.ML.Training;
using Serverless.Onnx;
using Xunit;
using Xunit.Abstractions;

namespace Serverless.ML.Tests;

/// <summary>Early stopping, cross-validated scoring with a refit, and the search's proposals, on the shared datasets.</summary>
public sealed class SearchAndScoringTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData("diabetes")]
    [InlineData("pima2")]
    [InlineData("wine")]
    public void LightGbm_stops_early_on_held_out_rows_and_reports_the_trees_it_kept(string dataset)
    {
        var data = Datasets.Load(dataset);
        var ceiling = new CandidateSpec(TrainerNames.LightGbm, new Dictionary<string, double>(TrainerCatalog.Defaults[TrainerNames.LightGbm]) { ["numberOfTrees"] = 1000 });

        var stopped = CandidateTrainer.Fit(data.Train, data.Validation, data.Setup(), ceiling, CancellationToken.None);
        var full = CandidateTrainer.Fit(data.Train, null, data.Setup(), ceiling, CancellationToken.None);

        var kept = stopped.Spec.Get("numberOfTrees");
        output.WriteLine($"{dataset}: kept {kept} of 1000 rounds");
        Assert.InRange(kept, 1, 1000 - TrainerCatalog.EarlyStoppingRounds);
        Assert.Equal(1000, full.Spec.Get("numberOfTrees"));
        Assert.Equal((int)kept, TreeCount.Of(stopped.Model));

        // The stopped model exports and agrees with ONNX Runtime like any other.
        using var model = OnnxModel.Load(OnnxModelExporter.Export(stopped, stopped.Signature));
        var onnx = ModelEvaluator.Evaluate(data.Task, stopped.Setup.Classes, data.Test[data.Label], model.Score(data.Test));
        var mlnet = CandidateTrainer.Evaluate(stopped, data.Test);
        Assert.Equal(mlnet.Metrics[MetricRegistry.DefaultFor(data.Task)], onnx.Metrics[MetricRegistry.DefaultFor(data.Task)], 3);
    }

    [Fact]
    public void Folds_are_stratified_disjoint_and_cover_every_row()
    {
        var data = Datasets.Load("wine");
        var setup = data.Setup();

        var folds = CandidateScoring.FoldsOf(data.Train, setup, 5);

        Assert.Equal(Enumerable.Range(0, data.Train.RowCount), folds.SelectMany(f => f).Order());
        var label = data.Train[data.Label];
        foreach (var cls in setup.Classes)
        {
            var perFold = folds.Select(f => f.Count(r => LabelValues.ClassOf(label, r) == cls)).ToList();
            Assert.True(perFold.Max() - perFold.Min() <= 1, $"{cls}: {string.Join(",", perFold)}");
        }
    }

    [Fact]
    public void Small_datasets_are_cross_validated_and_refitted_on_train_and_validation()
    {
        var data = Datasets.Load("diabetes");
        var scoring = CandidateScoring.For(data.Train, data.Validation);
        var setup = TrainingSetup.FromTrainingFrame(scoring.FitFrame, data.Label, data.Task, data.Setup().Inputs.Select(i => i.Name).ToList(), 7);
        var candidate = SearchSpace.At(TrainerNames.LightGbm, [0.3, 0.2, 0.6, 0.5]);

        var trained = scoring.Train(setup, candidate, CancellationToken.None);

        Assert.True(scoring.CrossValidates);
        Assert.Equal(data.Train.RowCount + data.Validation.RowCount, scoring.FitFrame.RowCount);
        Assert.Equal(scoring.FitFrame.RowCount, trained.Validation.RowCount); // every row scored once, out of fold
        Assert.InRange(trained.Spec.Get("numberOfTrees"), 1, SearchSpace.MaxBoostedTrees - 1);
        Assert.Equal((int)trained.Spec.Get("numberOfTrees"), TreeCount.Of(trained.Model));
        var test = CandidateTrainer.Evaluate(trained, data.Test)[MetricRegistry.R2];
        output.WriteLine($"diabetes: cv r2 {trained.Validation[MetricRegistry.R2]:F3}, test r2 {test:F3}, {trained.Spec.Get("numberOfTrees")} trees");
        Assert.True(test > 0.3, $"test r2 {test}");

        var large = CandidateScoring.For(data.Train, data.Validation, smallDatasetRows: 100);
        Assert.False(large.CrossValidates);
        Assert.Equal(data.Train.RowCount, large.FitFrame.RowCount);
    }

    [Fact]
    public void LightGbm_l2_regularization_shrinks_the_leaf_values_and_boosted_trainers_get_their_low_complexity_start()
    {
        var data = Datasets.Load("diabetes");
        var setup = data.Setup();
        CandidateSpec With(double l2) => new(TrainerNames.LightGbm, new Dictionary<string, double>(TrainerCatalog.Defaults[TrainerNames.LightGbm]) { ["l2Regularization"] = l2 });

        var plain = CandidateTrainer.Train(data.Train, data.Validation, setup, With(0), CancellationToken.None);
        var penalised = CandidateTrainer.Train(data.Train, data.Validation, setup, With(1000), CancellationToken.None);

        // A large L2 penalty pulls every leaf value towards 0: in 100 trees the model cannot fit its own training rows as closely.
        var fitPlain = CandidateTrainer.Evaluate(plain, data.Train)[MetricRegistry.R2];
        var fitPenalised = CandidateTrainer.Evaluate(penalised, data.Train)[MetricRegistry.R2];
        output.WriteLine($"training r2: l2 0 {fitPlain:F3}, l2 1000 {fitPenalised:F3}");
        Assert.True(fitPenalised < fitPlain - 0.1, $"training r2 with l2 1000 {fitPenalised}, with l2 0 {fitPlain}");

        var proposals = CandidateSearch.Propose(SearchStrategy.Auto, TrainerNames.All, [], 8, 42);
        var start = Assert.Single(proposals, p => p.Trainer == TrainerNames.LightGbm && p.Get("numberOfLeaves") == 8);
        Assert.Equal(1, start.Get("l2Regularization"), 6);
        Assert.Equal(SearchSpace.Start(TrainerNames.LightGbm)!.Id, start.Id);
        Assert.Null(SearchSpace.Start(TrainerNames.Linear));
    }

    [Fact]
    public void Proposals_are_seeded_in_range_and_start_from_the_defaults()
    {
        var first = CandidateSearch.Propose(SearchStrategy.Auto, TrainerNames.All, [], 8, 42);
        var again = CandidateSearch.Propose(SearchStrategy.Auto, TrainerNames.All, [], 8, 42);

        Assert.Equal(first.Select(c => c.Id), again.Select(c => c.Id));
        Assert.Equal(TrainerNames.All.Select(t => new CandidateSpec(t, TrainerCatalog.Defaults[t]).Id), first.Take(4).Select(c => c.Id));
        Assert.Equal(8, first.Select(c => c.Id).Distinct().Count());
        var random = CandidateSearch.Propose(SearchStrategy.Random, TrainerNames.All, [], 40, 1);
        foreach (var candidate in random)
        {
            foreach (var axis in SearchSpace.For(candidate.Trainer))
            {
                Assert.InRange(candidate.Get(axis.Name), axis.Minimum, axis.Maximum);
                Assert.True(ProjectSpecLimits.Hyperparameters[axis.Name].Contains(candidate.Get(axis.Name)), $"{axis.Name} = {candidate.Get(axis.Name)}");
            }
        }

        // Log scale: a learning rate below the geometric middle of 0.01..0.3 about half the time, not 3% of it.
        var rates = random.Where(c => c.Parameters.ContainsKey("learningRate")).Select(c => c.Get("learningRate")).ToList();
        Assert.InRange(rates.Count(r => r < Math.Sqrt(0.01 * 0.3)) / (double)rates.Count, 0.2, 0.8);
        Assert.Throws<ArgumentException>(() => CandidateSearch.Propose(SearchStrategy.Grid, TrainerNames.All, [], 4, 1));
    }
}
