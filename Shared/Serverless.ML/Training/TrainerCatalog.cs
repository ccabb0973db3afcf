using Microsoft.ML;
using Microsoft.ML.Trainers;
using Microsoft.ML.Trainers.FastTree;
using Microsoft.ML.Trainers.LightGbm;
using Serverless.Domain.Models;
using Serverless.Domain.Projects;
using Serverless.ML.Features;

namespace Serverless.ML.Training;

/// <summary>
/// The ML.NET estimator for each (trainer, task): LightGBM (native multiclass softmax), FastTree and FastForest
/// (multiclass one-versus-all with normalized calibrated probabilities; FastForest binary gets a Platt calibrator),
/// and linear models (L-BFGS logistic regression, L-BFGS maximum entropy, SDCA regression). Tree trainers use
/// <c>threads</c> threads (<see cref="TrainingSetup.Threads"/>): their parallel work is split by feature or merged in a
/// fixed order, so the same data, seed, settings and thread count give the same model (MlTrainerReproducibilityTests).
/// Linear trainers stay on one thread: SDCA's parallel updates race (hogwild), and the linear models are fast anyway.
/// </summary>
public static class TrainerCatalog
{
    private const string Label = FeatureDataView.LabelColumn;
    private const string Features = FeatureDataView.FeaturesColumn;

    /// <summary>Per trainer, the hyperparameters it understands and their defaults.</summary>
    public static IReadOnlyDictionary<string, IReadOnlyDictionary<string, double>> Defaults { get; } =
        new Dictionary<string, IReadOnlyDictionary<string, double>>(StringComparer.Ordinal)
        {
            [TrainerNames.LightGbm] = new Dictionary<string, double>(StringComparer.Ordinal)
            {
                ["numberOfLeaves"] = 31, ["learningRate"] = 0.1, ["numberOfTrees"] = 100, ["minimumExampleCountPerLeaf"] = 20, ["l2Regularization"] = 0,
            },
            [TrainerNames.FastTree] = new Dictionary<string, double>(StringComparer.Ordinal)
            {
                ["numberOfLeaves"] = 20, ["learningRate"] = 0.2, ["numberOfTrees"] = 100, ["minimumExampleCountPerLeaf"] = 10,
            },
            [TrainerNames.FastForest] = new Dictionary<string, double>(StringComparer.Ordinal)
            {
                ["numberOfLeaves"] = 20, ["numberOfTrees"] = 100, ["minimumExampleCountPerLeaf"] = 10,
            },
            [TrainerNames.Linear] = new Dictionary<string, double>(StringComparer.Ordinal)
            {
                ["l2Regularization"] = 0.1, ["maximumNumberOfIterations"] = 100,
            },
        };

    /// <summary>Rounds without improvement on the held-out rows after which boosting stops.</summary>
    public const int EarlyStoppingRounds = 20;

    /// <summary>Whether the trainer stops early on held-out rows (its <c>numberOfTrees</c> is then a ceiling): LightGBM.</summary>
    public static bool StopsEarly(string trainer) => string.Equals(trainer, TrainerNames.LightGbm, StringComparison.Ordinal);

    /// <summary>
    /// Fits a candidate. With <paramref name="stopping"/> rows and a trainer that <see cref="StopsEarly"/>, boosting stops
    /// <see cref="EarlyStoppingRounds"/> rounds after the held-out loss (log loss; RMSE for regression) last improved and keeps the trees up to the best round.
    /// </summary>
    public static ITransformer Fit(MLContext ml, TaskKind task, CandidateSpec candidate, int seed, int threads, IDataView train, IDataView? stopping)
    {
        ArgumentNullException.ThrowIfNull(ml);
        ArgumentNullException.ThrowIfNull(candidate);
        if (stopping is null || !StopsEarly(candidate.Trainer))
        {
            return Create(ml, task, candidate, seed, threads).Fit(train);
        }

        switch (task)
        {
            case TaskKind.Binary:
                var binary = LightGbmBinary(candidate, seed, threads);
                binary.EarlyStoppingRound = EarlyStoppingRounds;
                binary.EvaluationMetric = LightGbmBinaryTrainer.Options.EvaluateMetricType.Logloss;
                return ml.BinaryClassification.Trainers.LightGbm(binary).Fit(train, stopping);
            case TaskKind.Multiclass:
                var multiclass = LightGbmMulticlass(candidate, seed, threads);
                multiclass.EarlyStoppingRound = EarlyStoppingRounds;

                // The error rate reaches its floor in a few rounds on separable data; the log loss keeps improving.
                multiclass.EvaluationMetric = LightGbmMulticlassTrainer.Options.EvaluateMetricType.LogLoss;
                return ml.MulticlassClassification.Trainers.LightGbm(multiclass).Fit(train, stopping);
            default:
                var regression = LightGbmRegression(candidate, seed, threads);
                regression.EarlyStoppingRound = EarlyStoppingRounds;
                regression.EvaluationMetric = LightGbmRegressionTrainer.Options.EvaluateMetricType.RootMeanSquaredError;
                return ml.Regression.Trainers.LightGbm(regression).Fit(train, stopping);
        }
    }

    /// <summary>Whether the trainer's features are standardized (mean 0, variance 1) before training.</summary>
    public static bool Standardizes(string trainer) => string.Equals(trainer, TrainerNames.Linear, StringComparison.Ordinal);

    /// <summary>The estimator for a candidate; it reads <c>Features</c> and <c>Label</c>.</summary>
    /// <exception cref="ArgumentException">The trainer is unknown.</exception>
    public static IEstimator<ITransformer> Create(MLContext ml, TaskKind task, CandidateSpec candidate, int seed, int threads)
    {
        ArgumentNullException.ThrowIfNull(ml);
        ArgumentNullException.ThrowIfNull(candidate);
        ArgumentOutOfRangeException.ThrowIfLessThan(threads, 1);
        return (candidate.Trainer, task) switch
        {
            (TrainerNames.LightGbm, TaskKind.Binary) => ml.BinaryClassification.Trainers.LightGbm(LightGbmBinary(candidate, seed, threads)),
            (TrainerNames.LightGbm, TaskKind.Multiclass) => ml.MulticlassClassification.Trainers.LightGbm(LightGbmMulticlass(candidate, seed, threads)),
            (TrainerNames.LightGbm, TaskKind.Regression) => ml.Regression.Trainers.LightGbm(LightGbmRegression(candidate, seed, threads)),
            (TrainerNames.FastTree, TaskKind.Binary) => ml.BinaryClassification.Trainers.FastTree(Tree<FastTreeBinaryTrainer.Options>(candidate, seed, threads)),
            (TrainerNames.FastTree, TaskKind.Multiclass) => ml.MulticlassClassification.Trainers.OneVersusAll(
                ml.BinaryClassification.Trainers.FastTree(Tree<FastTreeBinaryTrainer.Options>(candidate, seed, threads)), Label, useProbabilities: true),
            (TrainerNames.FastTree, TaskKind.Regression) => ml.Regression.Trainers.FastTree(Tree<FastTreeRegressionTrainer.Options>(candidate, seed, threads)),
            (TrainerNames.FastForest, TaskKind.Binary) => ml.BinaryClassification.Trainers.FastForest(Tree<FastForestBinaryTrainer.Options>(candidate, seed, threads))
                .Append(ml.BinaryClassification.Calibrators.Platt(Label)),
            (TrainerNames.FastForest, TaskKind.Multiclass) => ml.MulticlassClassification.Trainers.OneVersusAll(
                ml.BinaryClassification.Trainers.FastForest(Tree<FastForestBinaryTrainer.Options>(candidate, seed, threads)), Label, useProbabilities: true),
            (TrainerNames.FastForest, TaskKind.Regression) => ml.Regression.Trainers.FastForest(Tree<FastForestRegressionTrainer.Options>(candidate, seed, threads)),
            (TrainerNames.Linear, TaskKind.Binary) => ml.BinaryClassification.Trainers.LbfgsLogisticRegression(new LbfgsLogisticRegressionBinaryTrainer.Options
            {
                LabelColumnName = Label, FeatureColumnName = Features, L2Regularization = (float)candidate.Get("l2Regularization"), L1Regularization = 0,
                MaximumNumberOfIterations = (int)candidate.Get("maximumNumberOfIterations"), NumberOfThreads = 1,
            }),
            (TrainerNames.Linear, TaskKind.Multiclass) => ml.MulticlassClassification.Trainers.LbfgsMaximumEntropy(new LbfgsMaximumEntropyMulticlassTrainer.Options
            {
                LabelColumnName = Label, FeatureColumnName = Features, L2Regularization = (float)candidate.Get("l2Regularization"), L1Regularization = 0,
                MaximumNumberOfIterations = (int)candidate.Get("maximumNumberOfIterations"), NumberOfThreads = 1,
            }),
            (TrainerNames.Linear, TaskKind.Regression) => ml.Regression.Trainers.Sdca(new SdcaRegressionTrainer.Options
            {
                LabelColumnName = Label, FeatureColumnName = Features, L2Regularization = (float)candidate.Get("l2Regularization"), L1Regularization = 0,
                MaximumNumberOfIterations = (int)candidate.Get("maximumNumberOfIterations"), NumberOfThreads = 1, Shuffle = false,
            }),
            _ => throw new ArgumentException($"Unknown trainer '{candidate.Trainer}'; expected one of {string.Join(", ", TrainerNames.All)}.", nameof(candidate)),
        };
    }

    private static LightGbmBinaryTrainer.Options LightGbmBinary(CandidateSpec candidate, int seed, int threads) => new()
    {
        LabelColumnName = Label, FeatureColumnName = Features, NumberOfLeaves = (int)candidate.Get("numberOfLeaves"),
        LearningRate = candidate.Get("learningRate"), NumberOfIterations = (int)candidate.Get("numberOfTrees"),
        MinimumExampleCountPerLeaf = (int)candidate.Get("minimumExampleCountPerLeaf"), Booster = Booster(candidate),
        NumberOfThreads = threads, Seed = seed, Silent = true,
    };

    private static LightGbmMulticlassTrainer.Options LightGbmMulticlass(CandidateSpec candidate, int seed, int threads) => new()
    {
        LabelColumnName = Label, FeatureColumnName = Features, NumberOfLeaves = (int)candidate.Get("numberOfLeaves"),
        LearningRate = candidate.Get("learningRate"), NumberOfIterations = (int)candidate.Get("numberOfTrees"),
        MinimumExampleCountPerLeaf = (int)candidate.Get("minimumExampleCountPerLeaf"), Booster = Booster(candidate),
        NumberOfThreads = threads, Seed = seed, Silent = true, UseSoftmax = true,
    };

    private static LightGbmRegressionTrainer.Options LightGbmRegression(CandidateSpec candidate, int seed, int threads) => new()
    {
        LabelColumnName = Label, FeatureColumnName = Features, NumberOfLeaves = (int)candidate.Get("numberOfLeaves"),
        LearningRate = candidate.Get("learningRate"), NumberOfIterations = (int)candidate.Get("numberOfTrees"),
        MinimumExampleCountPerLeaf = (int)candidate.Get("minimumExampleCountPerLeaf"), Booster = Booster(candidate),
        NumberOfThreads = threads, Seed = seed, Silent = true,
    };

    /// <summary>LightGBM's gradient booster with the candidate's L2 penalty on leaf values (<c>lambda_l2</c>; 0 when the candidate has none).</summary>
    private static GradientBooster.Options Booster(CandidateSpec candidate) =>
        new() { L2Regularization = candidate.Parameters.GetValueOrDefault("l2Regularization") };

    private static TOptions Tree<TOptions>(CandidateSpec candidate, int seed, int threads)
        where TOptions : TreeOptions, new()
    {
        var options = new TOptions
        {
            LabelColumnName = Label, FeatureColumnName = Features, NumberOfLeaves = (int)candidate.Get("numberOfLeaves"),
            NumberOfTrees = (int)candidate.Get("numberOfTrees"), MinimumExampleCountPerLeaf = (int)candidate.Get("minimumExampleCountPerLeaf"),
            NumberOfThreads = threads, Seed = seed, FeatureSelectionSeed = seed,
        };
        if (options is BoostedTreeOptions boosted)
        {
            boosted.LearningRate = candidate.Get("learningRate");
        }

        return options;
    }
}
