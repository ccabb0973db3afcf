namespace Serverless.Functions.Monitoring;

/// <summary>Whether monitoring started a retraining run, its id, or why not.</summary>
public sealed record RetrainDecision(bool Started, string? RunId, string Reason);
