namespace Serverless.Serving.PredictionLogging;

/// <summary>
/// One logged prediction. <see cref="Inputs"/> is the row as compact JSON (column → value); <see cref="Output"/> the label
/// or the regression value as text; <see cref="Probabilities"/> compact JSON (class → probability) for classifiers.
/// </summary>
public sealed record PredictionLogEntry(
    string Id,
    string Model,
    int Version,
    DateTimeOffset Time,
    string Inputs,
    string Output,
    string? Probabilities,
    double LatencyMs,
    string? CorrelationId);
