namespace Serverless.Orchestrations.Training;

/// <summary>One page of a run search and the token of the next (null on the last page).</summary>
public sealed record RunPage(IReadOnlyList<RunView> Runs, string? ContinuationToken);
