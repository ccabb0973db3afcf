namespace Serverless.Serving.Traffic;

/// <summary>Where traffic policies are stored (the host implements it over the model registry).</summary>
public interface ITrafficPolicySource
{
    /// <summary>The model's policy, or <c>null</c> when all its default traffic goes to production.</summary>
    Task<TrafficPolicy?> GetAsync(string model, CancellationToken cancellationToken);
}
