using Serverless.Domain.Datasets;
using Serverless.Domain.Models;
using Serverless.Domain.Projects;
using Serverless.ML.Export;
using Serverless.ML.Training;
using Xunit;

namespace Serverless.ML.Tests;

/// <summary>
/// Tree trainers run on several threads; the same data, seed, settings and thread count must still give the same
/// model: identical ML.NET predictions and a byte-identical ONNX export, trained twice in one process.
/// </summary>
public sealed class TrainerReproducibilityTests
{
    public static TheoryData<string, TaskKind> TreeTrainers => new()
    {
        { TrainerNames.LightGbm, TaskKind.Binary },
        { TrainerNames.LightGbm, TaskKind.Multiclass },
        { TrainerNames.LightGbm, TaskKind.Regression },
        { TrainerNames.FastTree, TaskKind.Binary },
        { TrainerNames.FastTree, TaskKind.Regression },
        { TrainerNames.FastForest, TaskKind.Binary },
    };

    [Theory]
    [MemberData(nameof(TreeTrainers))]
    public void Same_data_seed_and_threads_give_the_same_model_twice(string trainer, TaskKind task)
    {
        var (train, test) = Synthetic(task, rows: 20_000, seed: 5);
        var setup = TrainingSetup.FromTrainingFrame(train, "label", task, [.. train.Columns.Select(c => c.Name).Where(n => n != "label")], seed: 11) with { Threads = 4 };
        var spec = new CandidateSpec(trainer, TrainerCatalog.Defaults[trainer]);

        var first = CandidateTrainer.Train(train, test, setup, spec, CancellationToken.None);
        var second = CandidateTrainer.Train(train, test, setup, spec, CancellationToken.None);

        var a = first.Predict(test);
        var b = second.Predict(test);
        Assert.Equal(a.Probabilities ?? a.Values, b.Probabilities ?? b.Values);
        Assert.Equal(OnnxModelExporter.Export(first, first.Signature), OnnxModelExporter.Export(second, second.Signature));
    }

    [Fact]
    public void Threads_are_one_per_core_unless_set()
    {
        var (train, _) = Synthetic(TaskKind.Binary, rows: 100, seed: 1);
        var setup = TrainingSetup.FromTrainingFrame(train, "label", TaskKind.Binary, ["x0"], seed: 1);

        Assert.Equal(Environment.ProcessorCount, setup.Threads);
    }

    [Fact]
    public void A_different_seed_gives_a_different_forest()
    {
        // The check above is not vacuous: the seed does reach the trainers (FastForest samples rows and features by it).
        var (train, test) = Synthetic(TaskKind.Binary, rows: 5_000, seed: 5);
        var features = train.Columns.Select(c => c.Name).Where(n => n != "label").ToList();
        var spec = new CandidateSpec(TrainerNames.FastForest, TrainerCatalog.Defaults[TrainerNames.FastForest]);

        var one = CandidateTrainer.Train(train, test, TrainingSetup.FromTrainingFrame(train, "label", TaskKind.Binary, features, seed: 1) with { Threads = 4 }, spec, CancellationToken.None);
        var other = CandidateTrainer.Train(train, test, TrainingSetup.FromTrainingFrame(train, "label", TaskKind.Binary, features, seed: 2) with { Threads = 4 }, spec, CancellationToken.None);

        Assert.NotEqual(one.Predict(test).Probabilities, other.Predict(test).Probabilities);
    }

    /// <summary>Eight numeric features, a label from a noisy linear score (binary, three classes, or the score itself).</summary>
    private static (TabularFrame Train, TabularFrame Test) Synthetic(TaskKind task, int rows, int seed)
    {
        var random = new Random(seed);
        var features = Enumerable.Range(0, 8).Select(_ => new double[rows]).ToArray();
        var labels = new string?[rows];
        var values = new double[rows];
        for (var row = 0; row < rows; row++)
        {
            var score = 0.0;
            for (var i = 0; i < features.Length; i++)
            {
                features[i][row] = random.NextDouble() * 2 - 1;
                score += features[i][row] * (i % 2 == 0 ? 1.0 : -0.5) / (1 + i);
            }

            score += 0.3 * (random.NextDouble() - 0.5);
            values[row] = score;
            labels[row] = task == TaskKind.Multiclass ? (score < -0.15 ? "low" : score < 0.15 ? "mid" : "high") : score > 0 ? "yes" : "no";
        }

        FrameColumn label = task == TaskKind.Regression ? new NumericColumn("label", values) : new TextColumn("label", ColumnKind.Categorical, labels);
        var frame = new TabularFrame([.. features.Select((f, i) => (FrameColumn)new NumericColumn($"x{i}", f)), label]);
        var cut = rows * 4 / 5;
        return (frame.Take([.. Enumerable.Range(0, cut)]), frame.Take([.. Enumerable.Range(cut, rows - cut)]));
    }
}
