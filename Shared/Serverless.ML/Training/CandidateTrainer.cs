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
        ArgumentNullException.ThrowIfNull(validation);
        var provisional = Fit(train, null, setup, candidate, cancellationToken);
        return provisional with { Validation = Evaluate(provisional, validation) };
    }

    /// <summary>
    /// Fits a candidate on <paramref name="train"/> without measuring it. With <paramref name="stopping"/> rows a trainer
    /// that <see cref="TrainerCatalog.StopsEarly"/> stops on them, and the returned spec's <c>numberOfTrees</c> is the
    /// number of rounds it kept.
    /// </summary>
    /// <exception cref="ArgumentException">The frames do not fit the setup (missing columns, unknown classes) or the trainer is unknown.</exception>
    /// <exception cref="OperationCanceledException">Training was cancelled.</exception>
    public static TrainedCandidate Fit(TabularFrame train, TabularFrame? stopping, TrainingSetup setup, CandidateSpec candidate, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(train);
        ArgumentNullException.ThrowIfNull(setup);
        ArgumentNullException.ThrowIfNull(candidate);
        cancellationToken.ThrowIfCancellationRequested();
        var stopwatch = Stopwatch.StartNew();
        var ml = new MLContext(setup.Seed);

        // ML.NET stops a running Fit when its context is cancelled; the token bounds training, not just its start.
        using var cancellation = TrainingCancellation.Watch(ml, cancellationToken);
        var plan = FeaturePlan.Fit(train, setup.Inputs, TrainerCatalog.Standardizes(candidate.Trainer));
        var data = TrainingData.Labeled(train, setup, plan);
        var held = stopping is { RowCount: > 0 } && TrainerCatalog.StopsEarly(candidate.Trainer) ? TrainingData.Labeled(stopping, setup, plan) : null;
        cancellationToken.ThrowIfCancellationRequested();
        ITransformer model;
        try
        {
            model = TrainerCatalog.Fit(ml, setup.Task, candidate, setup.Seed, setup.Threads, data, held);
        }
        catch (Exception e) when (cancellationToken.IsCancellationRequested && e is not OperationCanceledException)
        {
            // A cancelled trainer stops with whatever its parallel loops threw (an AggregateException, mostly).
            throw new OperationCanceledException("Training was cancelled.", e, cancellationToken);
        }

        cancellationToken.ThrowIfCancellationRequested();
        stopwatch.Stop();
        var spec = candidate;
        if (held is not null && TreeCount.Of(model) is int rounds)
        {
            spec = candidate with { Parameters = new Dictionary<string, double>(candidate.Parameters, StringComparer.Ordinal) { ["numberOfTrees"] = rounds } };
        }

        return new TrainedCandidate(spec, setup, plan, model, ModelEvaluation.Empty, stopwatch.Elapsed);
    }

    /// <summary>The candidate's metrics on a labeled frame.</summary>
    public static ModelEvaluation Evaluate(TrainedCandidate candidate, TabularFrame frame)
    {
        ArgumentNullException.ThrowIfNull(candidate);
        ArgumentNullException.ThrowIfNull(frame);
        return ModelEvaluator.Evaluate(candidate.Setup.Task, candidate.Setup.Classes, frame[candidate.Setup.Label], candidate.Predict(frame));
    }
}
