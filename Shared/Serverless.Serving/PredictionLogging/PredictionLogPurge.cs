namespace Serverless.Serving.PredictionLogging;

/// <summary>How many logged predictions and feedback rows one retention pass deleted.</summary>
public sealed record PredictionLogPurge(int Predictions, int Feedback);
