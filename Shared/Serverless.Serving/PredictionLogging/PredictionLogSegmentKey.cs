namespace Serverless.Serving.PredictionLogging;

/// <summary>What a prediction log segment is per: model, version and UTC hour (<see cref="PredictionLogSegments"/> names it).</summary>
public readonly record struct PredictionLogSegmentKey(string Model, int Version, DateTimeOffset Hour);
