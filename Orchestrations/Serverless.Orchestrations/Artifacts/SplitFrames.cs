using Serverless.Data.Splitting;
using Serverless.Domain.Datasets;

namespace Serverless.Orchestrations.Artifacts;

/// <summary>The train, validation and test rows of a run, taken once from the dataset's frame by the split's row indexes.</summary>
public sealed record SplitFrames(TabularFrame Train, TabularFrame Validation, TabularFrame Test)
{
    public static SplitFrames Of(TabularFrame frame, DatasetSplit split)
    {
        ArgumentNullException.ThrowIfNull(frame);
        ArgumentNullException.ThrowIfNull(split);
        return new SplitFrames(frame.Take(split.Train), frame.Take(split.Validation), frame.Take(split.Test));
    }
}
