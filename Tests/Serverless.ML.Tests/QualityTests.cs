using Serverless.Domain.Projects;
using Serverless.ML.Evaluation;
using Serverless.ML.Export;
using Serverless.ML.Training;
using Serverless.Onnx;
using Xunit;
using Xunit.Abstractions;

namespace Serverless.ML.Tests;

/// <summary>Held-out quality of exported models, measured from ONNX Runtime's predictions.</summary>
public sealed class QualityTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData("wine", TrainerNames.LightGbm, MetricRegistry.MacroAccuracy, 0.9)]
    [InlineData("pima2", TrainerNames.LightGbm, MetricRegistry.Auc, 0.75)]
    [InlineData("pima2", TrainerNames.Linear, MetricRegistry.Auc, 0.75)]
    [InlineData("servo", TrainerNames.FastTree, MetricRegistry.R2, 0.0)]
    [InlineData("diabetes", TrainerNames.Linear, MetricRegistry.R2, 0.0)]
    [InlineData("diabetes", TrainerNames.FastForest, MetricRegistry.R2, 0.0)]
    public void Exported_models_predict_held_out_rows_well(string dataset, string trainer, string metric, double minimum)
    {
        var data = Datasets.Load(dataset);
        var setup = data.Setup();
        var candidate = CandidateTrainer.Train(data.Train, data.Validation, setup, Candidates.Small(trainer), CancellationToken.None);
        using var model = OnnxModel.Load(OnnxModelExporter.Export(candidate, candidate.Signature));

        var evaluation = ModelEvaluator.Evaluate(setup.Task, setup.Classes, data.Test[setup.Label], model.Score(data.Test));

        output.WriteLine($"{dataset} {trainer}: test {metric} {evaluation[metric]:F4}, validation {candidate.Validation[metric]:F4}, trained in {candidate.Duration.TotalMilliseconds:F0} ms");
        Assert.True(evaluation[metric] > minimum, $"{metric} = {evaluation[metric]}");
        Assert.Equal(data.Test.RowCount, evaluation.RowCount);
    }

    [Fact]
    public void Training_is_deterministic_for_a_seed()
    {
        var data = Datasets.LoadWithHardCases("pima2");
        foreach (var trainer in TrainerNames.All)
        {
            var first = CandidateTrainer.Train(data.Train, data.Validation, data.Setup(seed: 3), Candidates.Small(trainer), CancellationToken.None);
            var second = CandidateTrainer.Train(data.Train, data.Validation, data.Setup(seed: 3), Candidates.Small(trainer), CancellationToken.None);

            Assert.Equal(first.Predict(data.Test).Probabilities, second.Predict(data.Test).Probabilities);
        }
    }

    [Fact]
    public void A_cancelled_token_stops_training()
    {
        var data = Datasets.Load("wine");
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();

        Assert.ThrowsAny<OperationCanceledException>(() =>
            CandidateTrainer.Train(data.Train, data.Validation, data.Setup(), Candidates.Small(TrainerNames.LightGbm), cancelled.Token));
    }

    [Fact]
    public void The_ml_net_model_round_trips_through_its_archive()
    {
        var data = Datasets.LoadWithHardCases("servo");
        var candidate = CandidateTrainer.Train(data.Train, data.Validation, data.Setup(), Candidates.Small(TrainerNames.FastTree), CancellationToken.None);

        var archive = ModelArchive.Save(candidate);
        var restored = candidate with { Model = ModelArchive.Load(archive) };

        Assert.True(archive.Length > 1000);
        Assert.Equal(candidate.Predict(data.Test).Values, restored.Predict(data.Test).Values);
        Assert.Throws<InvalidOperationException>(() => ModelArchive.Load([1, 2, 3]));
    }
}
