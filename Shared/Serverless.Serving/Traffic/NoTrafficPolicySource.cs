namespace Serverless.Serving.Traffic;

/// <summary>The source when the host stores no policies: every default request goes to production.</summary>
internal sealed class NoTrafficPolicySource : ITrafficPolicySource
{
    public Task<TrafficPolicy?> GetAsync(string model, CancellationToken cancellationToken) => Task.FromResult<TrafficPolicy?>(null);
}
