using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Serverless.Hosting;
using Serverless.Orchestrations.Scoring;
using Serverless.Serving.Traffic;

namespace Serverless.Functions.Serving;

public static class ServingFunctionsServiceCollectionExtensions
{
    /// <summary>
    /// Traffic policies from the registry (replacing serving's default of none), batch scoring's services and
    /// containers (section <c>Product</c>), and this assembly's functions. The host registers <c>ModelRegistry</c> and
    /// adds <c>AddBatchScoring()</c> to its durable task registry.
    /// </summary>
    public static IServiceCollection AddServingFunctions(this IServiceCollection services)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.Replace(ServiceDescriptor.Singleton<ITrafficPolicySource, RegistryTrafficPolicySource>());
        services.AddOptions<ScoringContainers>().BindConfiguration(ScoringContainers.Section);
        services.AddBatchScoring();
        services.AddFunctions(typeof(TrafficFunctions).Assembly);
        return services;
    }
}
