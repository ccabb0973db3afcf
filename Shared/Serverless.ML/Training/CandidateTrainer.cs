using System.Diagnostics;
using Microsoft.ML;
using Serverless.Domain.Datasets;
using Serverless.ML.Evaluation;
using Serverless.ML.Features;

namespace Serverless.ML.Training;

/// <summary>
/// Trains one candidate (one durable activity) and measures it on the validation frame. The featurization is fitted on
/// the training frame only. ML.NET trainers cannot be interrupted mid-fit, so cancellation is observed before and after
/// fitting (keep each candidate small enough for the activity's time budget).
/// </summary>
public static class CandidateTrainer
{
    /// <exception cref="ArgumentException">The frames do not fit the setup (missing columns, unknown classes) or the trainer is unknown.</exception>
    /// <exception cref="OperationCanceledException">Training was cancelled.</exception>
    public static TrainedCandidate Train(TabularFrame train, TabularFrame validation, TrainingSetup setup, CandidateSpec candidate, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(train);
        ArgumentNullException.ThrowIfNull(validation);
        ArgumentNullException.ThrowIfNull(setup);
        ArgumentNullException.ThrowIfNull(candidate);
        cancellationToken.ThrowIfCancellationRequested();
        var stopwatch = Stopwatch.StartNew();
        var ml = new MLContext(setup.Seed);

        // ML.NET stops a running Fit when its context is cancelled; the token bounds training, not just its start.
        using var cancellation = TrainingCancellation.Watch(ml, cancellationToken);
        var plan = FeaturePlan.Fit(train, setup.Inputs, TrainerCatalog.Standardizes(candidate.Trainer));
        var data = TrainingData.Labeled(train, setup, plan);
        var estimator = TrainerCatalog.Create(ml, setup.Task, candidate, setup.Seed, setup.Threads);
        cancellationToken.ThrowIfCancellationRequested();
        ITransformer model;
        try
        {
            model = estimator.Fit(data);
        }
        catch (Exception e) when (cancellationToken.IsCancellationRequested && e is not OperationCanceledException)
        {
            // A cancelled trainer stops with whatever its parallel loops threw (an AggregateException, mostly).
            throw new OperationCanceledException("Training was cancelled.", e, cancellationToken);
        }

        cancellationToken.ThrowIfCancellationRequested();
        stopwatch.Stop();
        var provisional = new TrainedCandidate(candidate, setup, plan, model, ModelEvaluation.Empty, stopwatch.Elapsed);
        cancellationToken.ThrowIfCancellationRequested();
        var evaluation = ModelEvaluator.Evaluate(setup.Task, setup.Classes, validation[setup.Label], provisional.Predict(validation));
        return provisional with { Validation = evaluation };
    }
}
