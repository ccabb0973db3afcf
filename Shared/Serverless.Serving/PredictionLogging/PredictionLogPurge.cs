namespace Serverless.Serving.PredictionLogging;

/// <summary>How many prediction log segments and feedback rows one retention pass deleted.</summary>
public sealed record PredictionLogPurge(int Segments, int Feedback);
