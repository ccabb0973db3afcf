using Microsoft.DurableTask;
using Serverless.Data.Splitting;
using Serverless.Domain.Models;
using Serverless.Domain.Projects;
using Serverless.Orchestrations.Artifacts;

namespace Serverless.Orchestrations.Training.Activities;

/// <summary>Splits the dataset deterministically (seeded, stratified for classification) into train, validation and test frames of the run.</summary>
public sealed class SplitDataset(ArtifactStore artifacts) : TaskActivity<SplitRequest, SplitOutcome>
{
    public override async Task<SplitOutcome> RunAsync(TaskActivityContext context, SplitRequest input)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(input);
        var ct = CancellationToken.None;
        var spec = ProjectSpecSerializer.Parse(input.SpecJson);
        var frame = await artifacts.ReadFrameAsync(input.FramePath, ct).ConfigureAwait(false);
        var split = DatasetSplitter.Split(frame, input.Label, stratify: input.Task != TaskKind.Regression, spec.Split);

        var outcome = new SplitOutcome(
            ArtifactPaths.SplitFrame(input.RunId, "train"),
            ArtifactPaths.SplitFrame(input.RunId, "validation"),
            ArtifactPaths.SplitFrame(input.RunId, "test"),
            new Dictionary<string, int> { ["train"] = split.Train.Length, ["validation"] = split.Validation.Length, ["test"] = split.Test.Length },
            split.Seed);
        await artifacts.WriteFrameAsync(outcome.TrainPath, frame.Take(split.Train), ct).ConfigureAwait(false);
        await artifacts.WriteFrameAsync(outcome.ValidationPath, frame.Take(split.Validation), ct).ConfigureAwait(false);
        await artifacts.WriteFrameAsync(outcome.TestPath, frame.Take(split.Test), ct).ConfigureAwait(false);
        return outcome;
    }
}
