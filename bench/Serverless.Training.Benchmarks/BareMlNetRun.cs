using System.Diagnostics;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Trainers.LightGbm;

namespace Serverless.Training.Benchmarks;

/// <summary>
/// Bare ML.NET doing the same work in one process: read the CSV, hold out 20 % for test, train LightGBM with
/// the pipeline's parameters (31 leaves, learning rate 0.1, 100 trees, 20 rows per leaf, one thread per core as the
/// product now trains, same seed) and evaluate on the test rows.
/// </summary>
public static class BareMlNetRun
{
    public static BenchmarkMeasurement Run(string csv, int features, int seed)
    {
        var total = Stopwatch.StartNew();
        var phase = Stopwatch.StartNew();
        var steps = new List<StepTiming>();
        var ml = new MLContext(seed);
        var loader = ml.Data.CreateTextLoader(new TextLoader.Options
        {
            HasHeader = true,
            Separators = [','],
            Columns = [new TextLoader.Column("Features", DataKind.Single, 0, features - 1), new TextLoader.Column("Label", DataKind.Boolean, features)],
        });
        // Cached so the read is counted once, as a real load into memory.
        var data = ml.Data.Cache(loader.Load(csv));
        var split = ml.Data.TrainTestSplit(data, testFraction: 0.2, seed: seed);
        var rows = split.TrainSet.GetColumn<bool>("Label").Count();
        steps.Add(new StepTiming($"load ({rows} training rows)", phase.Elapsed.TotalSeconds));

        phase.Restart();
        var trainer = ml.BinaryClassification.Trainers.LightGbm(new LightGbmBinaryTrainer.Options
        {
            NumberOfLeaves = 31,
            LearningRate = 0.1,
            NumberOfIterations = 100,
            MinimumExampleCountPerLeaf = 20,
            NumberOfThreads = Environment.ProcessorCount,
            Seed = seed,
            Silent = true,
        });
        var model = trainer.Fit(split.TrainSet);
        steps.Add(new StepTiming("train", phase.Elapsed.TotalSeconds));

        phase.Restart();
        var metrics = ml.BinaryClassification.Evaluate(model.Transform(split.TestSet));
        steps.Add(new StepTiming("evaluate", phase.Elapsed.TotalSeconds));
        total.Stop();

        using var process = Process.GetCurrentProcess();
        process.Refresh();
        return new BenchmarkMeasurement("bare", total.Elapsed.TotalSeconds, process.PeakWorkingSet64, metrics.AreaUnderRocCurve, metrics.Accuracy, steps);
    }
}
