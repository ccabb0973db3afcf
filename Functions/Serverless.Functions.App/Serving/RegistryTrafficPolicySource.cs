using Serverless.Registry;
using Serverless.Serving.Traffic;

namespace Serverless.Functions.Serving;

/// <summary>Serving's traffic policies, kept with the model in the registry (and audited there).</summary>
public sealed class RegistryTrafficPolicySource(ModelRegistry registry) : ITrafficPolicySource
{
    public async Task<TrafficPolicy?> GetAsync(string model, CancellationToken cancellationToken) =>
        TrafficPolicyJson.Deserialize(await registry.GetTrafficPolicyAsync(model, cancellationToken).ConfigureAwait(false));
}
