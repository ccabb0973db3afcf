using Microsoft.DurableTask;
using Serverless.Data.Splitting;
using Serverless.Domain.Models;
using Serverless.Domain.Projects;
using Serverless.Orchestrations.Artifacts;

namespace Serverless.Orchestrations.Training.Activities;

/// <summary>
/// Splits the dataset deterministically (seeded, stratified for classification) into train, validation and test, kept
/// as row indexes over the dataset's one frame: no copy of the data is written or read again.
/// </summary>
public sealed class SplitDataset(ArtifactStore artifacts) : TaskActivity<SplitRequest, SplitOutcome>
{
    public override async Task<SplitOutcome> RunAsync(TaskActivityContext context, SplitRequest input)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(input);
        var ct = CancellationToken.None;
        var phases = new PhaseTimer();
        var spec = ProjectSpecSerializer.Parse(input.SpecJson);
        var frame = await artifacts.ReadFrameAsync(input.FramePath, ct).ConfigureAwait(false);
        phases.End("read frame");
        var split = DatasetSplitter.Split(frame, input.Label, stratify: input.Task != TaskKind.Regression, spec.Split);
        phases.End("split rows");
        var path = ArtifactPaths.Split(input.RunId);
        await artifacts.WriteSplitAsync(path, frame, split, ct).ConfigureAwait(false);
        phases.End("write split, take parts");
        return new SplitOutcome(
            input.FramePath,
            path,
            new Dictionary<string, int> { ["train"] = split.Train.Length, ["validation"] = split.Validation.Length, ["test"] = split.Test.Length },
            split.Seed) { PhasesMs = phases.Milliseconds };
    }
}
