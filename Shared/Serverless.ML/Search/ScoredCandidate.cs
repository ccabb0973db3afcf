using Serverless.ML.Training;

namespace Serverless.ML.Search;

/// <summary>A candidate tried so far and its score on the project metric, oriented so higher is better (null: it failed).</summary>
public sealed record ScoredCandidate(CandidateSpec Candidate, double? Score);
