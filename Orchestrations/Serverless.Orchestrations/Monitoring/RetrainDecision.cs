namespace Serverless.Orchestrations.Monitoring;

/// <summary>
/// Whether monitoring started a retraining run, its id, and why (the run's reason) or why not; the dataset version
/// the run trains on.
/// </summary>
public sealed record RetrainDecision(bool Started, string? RunId, string Reason, int? DatasetVersion = null);
