using System.Diagnostics;
using Serverless.Data;
using Serverless.Data.Splitting;
using Serverless.Domain.Datasets;
using Serverless.Domain.Models;
using Serverless.Domain.Projects;
using Serverless.ML.Evaluation;
using Serverless.ML.Training;
using Serverless.Orchestrations.Training;
using Serverless.Orchestrations.Training.Activities;

namespace Serverless.Quality.Benchmarks;

/// <summary>One dataset's result: the promoted model's test metric now and with the fixed configurations before search.</summary>
internal sealed record QualityResult(
    string Dataset, long Rows, string Task, string Metric, double Before, double Product, int Candidates, string Winner, double Seconds);

/// <summary>
/// Runs what the training pipeline runs between split and evaluation, in process: the product's ingestion and split
/// (spec defaults, zero-config but for the label), <see cref="PlanCandidates"/> batch by batch, <see cref="CandidateScoring"/>
/// per candidate (what <c>TrainCandidate</c> does before ONNX export), <see cref="CandidateSelection"/>; then the
/// winner's metric on the test split. "Before" is the pipeline as it was before search: one default candidate per
/// trainer fitted on train, picked on validation.
/// </summary>
internal static class QualityRun
{
    public static async Task<(QualityResult Result, TabularFrame Frame, DatasetSplit Split, IReadOnlyList<string> Classes, TaskKind Task)> RunAsync(QualityDataset dataset)
    {
        var spec = new ProjectSpec { Label = dataset.Label };
        DatasetIngestionResult ingested;
        await using (var file = File.OpenRead(dataset.Path))
        {
            ingested = await new DatasetIngestion().IngestAsync(file, Path.GetFileName(dataset.Path), spec, null, CancellationToken.None);
        }

        var task = ingested.Task ?? throw new InvalidOperationException($"{dataset.Name}: no task inferred");
        var frame = ingested.Frame;
        var split = DatasetSplitter.Split(frame, dataset.Label, stratify: task != TaskKind.Regression, spec.Split);
        var train = frame.Take(split.Train);
        var validation = frame.Take(split.Validation);
        var test = frame.Take(split.Test);
        var reported = task switch { TaskKind.Binary => MetricRegistry.Auc, TaskKind.Multiclass => MetricRegistry.MicroAccuracy, _ => MetricRegistry.R2 };

        var stopwatch = Stopwatch.StartNew();
        var scoring = CandidateScoring.For(train, validation);
        var setup = TrainingSetup.FromTrainingFrame(scoring.FitFrame, dataset.Label, task, ingested.Features, split.Seed);
        var specJson = ProjectSpecSerializer.Serialize(spec);
        var request = new PlanRequest(dataset.Name, task, specJson, frame.RowCount);
        var planner = new PlanCandidates();
        var plan = await planner.RunAsync(null!, request);
        var first = plan;
        var outcomes = new List<CandidateOutcome>();
        var models = new Dictionary<int, TrainedCandidate>();
        while (plan.Candidates.Count > 0 && outcomes.Count < first.MaxCandidates)
        {
            foreach (var candidate in plan.Candidates.Take(first.MaxCandidates - outcomes.Count))
            {
                var trained = scoring.Train(setup, new CandidateSpec(candidate.Trainer, candidate.Parameters), CancellationToken.None);
                models[candidate.Index] = trained;
                outcomes.Add(new CandidateOutcome(candidate.Index, candidate.Trainer, trained.Spec.Parameters, trained.Validation.Metrics, trained.Duration.TotalSeconds, true, null, null, null, null));
            }

            plan = await planner.RunAsync(null!, request with { Trained = [.. outcomes] });
        }

        var best = CandidateSelection.Best(outcomes, first.Metric, first.HigherIsBetter)!;
        var product = CandidateTrainer.Evaluate(models[best.Index], test)[reported];
        stopwatch.Stop();

        var beforeSetup = TrainingSetup.FromTrainingFrame(train, dataset.Label, task, ingested.Features, split.Seed);
        var before = TrainerNames.All
            .Select(t => CandidateTrainer.Train(train, validation, beforeSetup, new CandidateSpec(t, TrainerCatalog.Defaults[t]), CancellationToken.None))
            .Aggregate((a, b) => MetricRegistry.Beats(first.Metric, b.Validation[first.Metric], a.Validation[first.Metric]) ? b : a);
        var beforeTest = CandidateTrainer.Evaluate(before, test)[reported];

        var winner = $"{best.Trainer}({string.Join(", ", best.Parameters.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{p.Key}={p.Value:0.####}"))})";
        var result = new QualityResult(dataset.Name, frame.RowCount, task.ToString().ToLowerInvariant(), reported, beforeTest, product, outcomes.Count, winner, stopwatch.Elapsed.TotalSeconds);
        return (result, frame, split, setup.Classes, task);
    }
}
