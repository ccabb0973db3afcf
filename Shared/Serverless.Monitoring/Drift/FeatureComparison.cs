namespace Serverless.Monitoring.Drift;

/// <summary>One feature's reference and current values, to be compared; both must carry the same name.</summary>
public sealed record FeatureComparison(FeatureReference Reference, FeatureCurrent Current)
{
    public string Name => Reference.Name;
}
