using DurableTask.Core;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Worker;
using Microsoft.DurableTask.Worker.Shims;

namespace Serverless.DurableTask.AzureStorage;

/// <summary>
/// DTFx asks this for an orchestration by name once per episode; the SDK's factory makes the orchestrator and the
/// SDK's shim factory wraps it as a DTFx <see cref="TaskOrchestration"/> (the path the isolated worker takes in Azure).
/// </summary>
internal sealed class OrchestrationShims(IDurableTaskFactory factory, DurableTaskShimFactory shims, IServiceProvider services)
    : INameVersionObjectManager<TaskOrchestration>
{
    public void Add(ObjectCreator<TaskOrchestration> creator) =>
        throw new NotSupportedException("Orchestrators are registered with the Durable Task SDK's DurableTaskRegistry (AddTasks).");

    public TaskOrchestration? GetObject(string name, string? version) =>
        factory.TryCreateOrchestrator(new TaskName(name), services, out var orchestrator)
            ? shims.CreateOrchestration(new TaskName(name), orchestrator)
            : null;
}
