using Serverless.Domain.Datasets;
using Serverless.Domain.Models;
using Serverless.Domain.Projects;
using Serverless.ML.Evaluation;

namespace Serverless.ML.Training;

/// <summary>
/// How a search candidate is scored and which rows its final model is fitted on.
/// <list type="bullet">
/// <item>Small datasets (train + validation under <see cref="SearchDefaults.SmallDatasetRows"/> rows): k-fold
/// cross-validation over train + validation (folds stratified by class for classification); boosted trees stop early on
/// each held-out fold; the score is the folds' mean; the model is then refitted on all of train + validation with the
/// folds' mean number of trees.</item>
/// <item>Larger datasets: fitted on train, stopping early on and scored on validation.</item>
/// </list>
/// </summary>
public sealed class CandidateScoring
{
    public const int Folds = 5;

    private readonly TabularFrame _train;
    private readonly TabularFrame _validation;

    private CandidateScoring(TabularFrame train, TabularFrame validation, bool crossValidates)
    {
        _train = train;
        _validation = validation;
        CrossValidates = crossValidates;
        FitFrame = crossValidates && validation.RowCount > 0 ? train.Append(validation) : train;
    }

    /// <summary>Whether candidates are scored by k-fold cross-validation.</summary>
    public bool CrossValidates { get; }

    /// <summary>The rows the final model is fitted on (build the <see cref="TrainingSetup"/> from them).</summary>
    public TabularFrame FitFrame { get; }

    public static CandidateScoring For(TabularFrame train, TabularFrame validation, int smallDatasetRows = SearchDefaults.SmallDatasetRows)
    {
        ArgumentNullException.ThrowIfNull(train);
        ArgumentNullException.ThrowIfNull(validation);
        return new CandidateScoring(train, validation, train.RowCount + validation.RowCount < smallDatasetRows && train.RowCount + validation.RowCount >= Folds * 2);
    }

    /// <summary>Scores the candidate and fits its final model; the result's spec carries the chosen number of trees.</summary>
    /// <exception cref="OperationCanceledException">Training was cancelled.</exception>
    public TrainedCandidate Train(TrainingSetup setup, CandidateSpec candidate, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(setup);
        ArgumentNullException.ThrowIfNull(candidate);
        if (!CrossValidates)
        {
            var scoredOn = _validation.RowCount > 0 ? _validation : _train;
            var fitted = CandidateTrainer.Fit(_train, _validation.RowCount > 0 ? _validation : null, setup, candidate, cancellationToken);
            return fitted with { Validation = CandidateTrainer.Evaluate(fitted, scoredOn) };
        }

        var folds = FoldsOf(FitFrame, setup, Folds);
        var evaluations = new List<ModelEvaluation>(Folds);
        var rounds = new List<double>(Folds);
        var duration = TimeSpan.Zero;
        for (var fold = 0; fold < folds.Count; fold++)
        {
            var held = FitFrame.Take(folds[fold]);
            var rest = FitFrame.Take(folds.Where((_, i) => i != fold).SelectMany(f => f).Order().ToList());
            var fitted = CandidateTrainer.Fit(rest, held, setup, candidate, cancellationToken);
            duration += fitted.Duration;
            evaluations.Add(CandidateTrainer.Evaluate(fitted, held));
            rounds.Add(fitted.Spec.Parameters.GetValueOrDefault("numberOfTrees"));
        }

        var final = candidate;
        if (TrainerCatalog.StopsEarly(candidate.Trainer))
        {
            final = candidate with { Parameters = new Dictionary<string, double>(candidate.Parameters, StringComparer.Ordinal) { ["numberOfTrees"] = Math.Max(1, Math.Round(rounds.Average())) } };
        }

        var model = CandidateTrainer.Fit(FitFrame, null, setup, final, cancellationToken);
        return model with { Validation = Mean(evaluations), Duration = model.Duration + duration };
    }

    /// <summary>Row indexes of each fold: shuffled with the setup's seed, dealt in turn within each class (stratified) for classification.</summary>
    internal static IReadOnlyList<List<int>> FoldsOf(TabularFrame frame, TrainingSetup setup, int folds)
    {
        var random = new Random(setup.Seed);
        var label = frame[setup.Label];
        var groups = setup.Task == TaskKind.Regression
            ? [Enumerable.Range(0, frame.RowCount).ToList()]
            : Enumerable.Range(0, frame.RowCount).GroupBy(r => LabelValues.ClassOf(label, r) ?? string.Empty, StringComparer.Ordinal)
                .OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => g.ToList()).ToList();
        var result = Enumerable.Range(0, folds).Select(_ => new List<int>()).ToList();
        var next = 0;
        foreach (var group in groups)
        {
            var rows = group.ToArray();
            random.Shuffle(rows);
            foreach (var row in rows)
            {
                result[next].Add(row);
                next = (next + 1) % folds;
            }
        }

        return result;
    }

    private static ModelEvaluation Mean(List<ModelEvaluation> evaluations)
    {
        var keys = evaluations[0].Metrics.Keys.Where(k => evaluations.All(e => e.Metrics.ContainsKey(k)));
        var metrics = keys.ToDictionary(k => k, k => evaluations.Average(e => e.Metrics[k]), StringComparer.Ordinal);
        return new ModelEvaluation(metrics, evaluations.Sum(e => e.RowCount), evaluations.Sum(e => e.SkippedRows));
    }
}
