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
    string? CorrelationId)
{
    /// <summary>True for a shadow version's prediction: logged for comparison, never returned to the caller.</summary>
    public bool Shadow { get; init; }

    /// <summary>For a shadow prediction, the id of the production prediction it mirrors.</summary>
    public string? PrimaryId { get; init; }

    /// <summary>The W3C trace id of the request that made the prediction (32 hex digits), when it was traced.</summary>
    public string? TraceId { get; init; }
}
