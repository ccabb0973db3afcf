using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;

namespace Serverless.Orchestrations;

/// <summary>
/// How the product starts an orchestration under an id of its own (a content hash, a run id): never a second one
/// while an instance with that id is pending, running or suspended (the client throws
/// <see cref="global::DurableTask.Core.Exceptions.OrchestrationAlreadyExistsException"/>); one that has ended may start again.
/// </summary>
public static class SingleInstance
{
    public static StartOrchestrationOptions Options(string instanceId) =>
        new StartOrchestrationOptions { InstanceId = instanceId }
            .WithDedupeStatuses(OrchestrationRuntimeStatus.Pending, OrchestrationRuntimeStatus.Running, OrchestrationRuntimeStatus.Suspended);
}
