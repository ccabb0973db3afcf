using Serverless.Registry;

namespace Serverless.Orchestrations.Monitoring;

/// <summary>
/// The dataset version a retrain should train on (<see cref="TrainOn"/>; null when the project has none), the feedback
/// version registered for it if any (<see cref="Feedback"/>, which may have failed validation), and in words why.
/// </summary>
public sealed record FeedbackDatasetOutcome(DatasetVersion? TrainOn, DatasetVersion? Feedback, string Summary);
