using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Serverless.Hosting;
using Serverless.Serving.Traffic;

namespace Serverless.Functions.Serving;

public static class ServingFunctionsServiceCollectionExtensions
{
    /// <summary>
    /// Traffic policies from the registry (replacing serving's default of none) and this assembly's functions.
    /// Call before <c>AddServing()</c>; the host registers <c>ModelRegistry</c>.
    /// </summary>
    public static IServiceCollection AddServingFunctions(this IServiceCollection services)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.Replace(ServiceDescriptor.Singleton<ITrafficPolicySource, RegistryTrafficPolicySource>());
        services.AddFunctions(typeof(TrafficFunctions).Assembly);
        return services;
    }
}
