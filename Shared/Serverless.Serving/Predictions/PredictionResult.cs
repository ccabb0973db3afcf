using Serverless.Onnx;

namespace Serverless.Serving.Predictions;

/// <summary>What one predict request answered: which version, an id per row, and the model's predictions.</summary>
public sealed record PredictionResult(string Model, int Version, IReadOnlyList<string> Ids, ModelPredictions Predictions);
