namespace Serverless.Orchestrations.Training;

/// <summary>Bounds of the training pipeline's work (configuration section <c>Training</c>).</summary>
public sealed class TrainingOptions
{
    public const string Section = "Training";

    /// <summary>The longest one candidate may train before it is stopped and recorded as failed.</summary>
    public TimeSpan CandidateTimeout { get; set; } = TimeSpan.FromMinutes(30);
}
