using Microsoft.DurableTask;

namespace Serverless.Hosting.Durable;

/// <summary>Registers a Function App's <c>[OrchestrationTrigger]</c> and <c>[ActivityTrigger]</c> functions with a durable task worker, under their function names.</summary>
public static class DurableFunctionRegistryExtensions
{
    /// <param name="converter">The worker's data converter: orchestrator functions deserialize their input with it.</param>
    public static DurableTaskRegistry AddFunctions(this DurableTaskRegistry registry, FunctionSource source, DataConverter converter)
    {
        ArgumentNullException.ThrowIfNull(registry);
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(converter);
        foreach (var function in FunctionCatalog.Discover(source.Types, configuration: null))
        {
            switch (function.Trigger)
            {
                case OrchestrationTriggerAttribute:
                    registry.AddOrchestrator(function.Name, () => new FunctionOrchestrator(function, converter));
                    break;
                case ActivityTriggerAttribute:
                    registry.AddActivity(function.Name, services => new FunctionActivity(function, services));
                    break;
            }
        }

        return registry;
    }
}
