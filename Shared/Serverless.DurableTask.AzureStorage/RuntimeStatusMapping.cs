using Microsoft.DurableTask.Client;
using CoreStatus = DurableTask.Core.OrchestrationStatus;

namespace Serverless.DurableTask.AzureStorage;

/// <summary>Translates the SDK's runtime statuses to DTFx's and back (the two enums share names, not all values).</summary>
#pragma warning disable CS0618 // Canceled and ContinuedAsNew are obsolete in the SDK, still DTFx statuses
internal static class RuntimeStatusMapping
{
    /// <summary>The statuses in which an instance has ended and can be purged or started again.</summary>
    public static readonly IReadOnlyList<CoreStatus> Terminal = [CoreStatus.Completed, CoreStatus.Failed, CoreStatus.Terminated, CoreStatus.Canceled];

    public static CoreStatus ToCore(OrchestrationRuntimeStatus status) => status switch
    {
        OrchestrationRuntimeStatus.Running => CoreStatus.Running,
        OrchestrationRuntimeStatus.Completed => CoreStatus.Completed,
        OrchestrationRuntimeStatus.ContinuedAsNew => CoreStatus.ContinuedAsNew,
        OrchestrationRuntimeStatus.Failed => CoreStatus.Failed,
        OrchestrationRuntimeStatus.Canceled => CoreStatus.Canceled,
        OrchestrationRuntimeStatus.Terminated => CoreStatus.Terminated,
        OrchestrationRuntimeStatus.Pending => CoreStatus.Pending,
        OrchestrationRuntimeStatus.Suspended => CoreStatus.Suspended,
        _ => throw new ArgumentOutOfRangeException(nameof(status), status, "Unknown runtime status."),
    };

    public static OrchestrationRuntimeStatus FromCore(CoreStatus status) => status switch
    {
        CoreStatus.Running => OrchestrationRuntimeStatus.Running,
        CoreStatus.Completed => OrchestrationRuntimeStatus.Completed,
        CoreStatus.ContinuedAsNew => OrchestrationRuntimeStatus.ContinuedAsNew,
        CoreStatus.Failed => OrchestrationRuntimeStatus.Failed,
        CoreStatus.Canceled => OrchestrationRuntimeStatus.Canceled,
        CoreStatus.Terminated => OrchestrationRuntimeStatus.Terminated,
        CoreStatus.Pending => OrchestrationRuntimeStatus.Pending,
        CoreStatus.Suspended => OrchestrationRuntimeStatus.Suspended,
        _ => throw new ArgumentOutOfRangeException(nameof(status), status, "Unknown orchestration status."),
    };

    public static bool IsTerminal(CoreStatus status) => Terminal.Contains(status);
}
