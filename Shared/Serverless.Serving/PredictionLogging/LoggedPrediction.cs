using System.Text.Json;

namespace Serverless.Serving.PredictionLogging;

/// <summary>A logged prediction as read back (and, from the feedback table, its actual label).</summary>
public sealed record LoggedPrediction(string Id, int Version, DateTimeOffset Time, JsonElement Inputs, string Output, string? Actual = null);
