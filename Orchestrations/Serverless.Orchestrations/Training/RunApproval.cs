namespace Serverless.Orchestrations.Training;

/// <summary>
/// The manual promotion decision on a run: the run as read for the caller, and whether the decision was sent to it
/// (only a visible run awaiting approval gets it).
/// </summary>
public sealed record RunApproval(RunLookup Lookup, bool Raised);
