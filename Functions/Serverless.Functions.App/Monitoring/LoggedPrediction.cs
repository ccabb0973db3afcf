using System.Text.Json;

namespace Serverless.Functions.Monitoring;

/// <summary>A logged prediction (and, from the feedback table, its actual label).</summary>
public sealed record LoggedPrediction(string Id, int Version, DateTimeOffset Time, JsonElement Inputs, string Output, string? Actual = null);
