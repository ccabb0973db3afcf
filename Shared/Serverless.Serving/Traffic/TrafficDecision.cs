namespace Serverless.Serving.Traffic;

/// <summary>
/// What a model's traffic policy decided for one request that named no version or alias: the id of its first
/// prediction when a canary split chose the version by it, and the shadow version to mirror the scored rows to.
/// </summary>
public sealed record TrafficDecision(string? FirstPredictionId, ShadowRoute? Shadow)
{
    /// <summary>No policy applied (a version or alias was named, or the model has none).</summary>
    public static TrafficDecision None { get; } = new(null, null);
}
