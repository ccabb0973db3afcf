namespace Serverless.Serving.Feedback;

/// <summary>The ground truth for one earlier prediction.</summary>
public sealed record FeedbackItem(string Id, string Actual);

/// <summary>How many items were joined to logged predictions, and the ids that matched none.</summary>
public sealed record FeedbackResult(int Accepted, IReadOnlyList<string> Unknown);
