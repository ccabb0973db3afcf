using System.Diagnostics;
using Microsoft.DurableTask;
using Microsoft.Extensions.Options;
using Serverless.Domain.Models;
using Serverless.ML.Export;
using Serverless.ML.Parity;
using Serverless.ML.Training;
using Serverless.Orchestrations.Artifacts;

namespace Serverless.Orchestrations.Training.Activities;

/// <summary>
/// Trains one candidate with ML.NET, exports it to ONNX (featurization included) and checks ONNX Runtime
/// against ML.NET on the test split. The ONNX file and the ML.NET model are kept under the run's folder.
/// Scoring follows <see cref="CandidateScoring"/>: on small datasets the metrics are the mean of k-fold cross-validation
/// over train + validation and the model is refitted on both; otherwise they are on the validation split (on the
/// training split when the spec asks for no validation split). Boosted trees stop early on held-out rows; the
/// outcome's <c>numberOfTrees</c> is the number kept.
/// Training stops at <see cref="TrainingOptions.CandidateTimeout"/> with a <see cref="CandidateTimeoutException"/>.
/// </summary>
public sealed class TrainCandidate(ArtifactStore artifacts, IOptions<TrainingOptions> options) : TaskActivity<TrainRequest, CandidateOutcome>
{
    public override async Task<CandidateOutcome> RunAsync(TaskActivityContext context, TrainRequest input)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(input);
        var ct = CancellationToken.None;
        var phases = new PhaseTimer();
        var (train, validation, test) = await artifacts.ReadSplitAsync(input.Split.SplitPath, input.Split.FramePath, ct).ConfigureAwait(false);
        var task = Enum.Parse<TaskKind>(input.Dataset.Task!, ignoreCase: true);
        phases.End("read split");

        var stopwatch = Stopwatch.StartNew();
        var scoring = CandidateScoring.For(train, validation);
        var setup = TrainingSetup.FromTrainingFrame(scoring.FitFrame, input.Dataset.Label!, task, input.Dataset.Features, input.Split.Seed) is var shared && options.Value.TrainerThreads is int threads
            ? shared with { Threads = threads }
            : shared;
        var spec = new CandidateSpec(input.Plan.Trainer, input.Plan.Parameters);
        var timeout = options.Value.CandidateTimeout;
        using var deadline = new CancellationTokenSource(timeout);
        TrainedCandidate candidate;
        try
        {
            candidate = await Task.Run(() => scoring.Train(setup, spec, deadline.Token), CancellationToken.None).ConfigureAwait(false);
        }
        catch (OperationCanceledException e) when (deadline.IsCancellationRequested)
        {
            throw new CandidateTimeoutException(
                $"Candidate {input.Plan.Index} ({input.Plan.Trainer}) did not finish training within {timeout} (setting {TrainingOptions.Section}:{nameof(TrainingOptions.CandidateTimeout)}); use smaller ranges for its hyperparameters.", e);
        }

        phases.End($"featurize, fit ({setup.Threads} threads), validate");
        phases.Add("of which featurize and fit", candidate.Duration);

        var onnx = OnnxModelExporter.Export(candidate, candidate.Signature, new Dictionary<string, string>
        {
            [ModelSignature.MetadataModelKey] = input.Project,
            ["serverless.run"] = input.RunId,
            ["serverless.trainer"] = input.Plan.Trainer,
        });
        phases.End("export ONNX");
        var parity = OnnxParity.Check(candidate, onnx, test);
        stopwatch.Stop();
        phases.End($"parity ({parity.RowCount} of {test.RowCount} test rows)");

        var onnxPath = ArtifactPaths.Candidate(input.RunId, input.Plan.Index, "model.onnx");
        var zipPath = ArtifactPaths.Candidate(input.RunId, input.Plan.Index, "mlnet-model.zip");
        await artifacts.WriteBytesAsync(onnxPath, onnx, "application/octet-stream", ct).ConfigureAwait(false);
        await artifacts.WriteBytesAsync(zipPath, ModelArchive.Save(candidate), "application/zip", ct).ConfigureAwait(false);
        phases.End("write model files");
        return new CandidateOutcome(
            input.Plan.Index,
            input.Plan.Trainer,
            candidate.Spec.Parameters,
            candidate.Validation.Metrics,
            stopwatch.Elapsed.TotalSeconds,
            parity.Passed,
            parity.Summary,
            onnxPath,
            zipPath,
            null) { PhasesMs = phases.Milliseconds };
    }
}
