namespace Serverless.Orchestrations.Training;

/// <summary>Bounds of the training pipeline's work (configuration section <c>Training</c>).</summary>
public sealed class TrainingOptions
{
    public const string Section = "Training";

    /// <summary>The longest one candidate may train before it is stopped and recorded as failed.</summary>
    public TimeSpan CandidateTimeout { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>
    /// Threads each tree trainer uses; null (the default) means one per core. The same data, seed and thread count give
    /// the same model, so keep it fixed where models must be reproduced across hosts with different core counts.
    /// </summary>
    public int? TrainerThreads { get; set; }
}
