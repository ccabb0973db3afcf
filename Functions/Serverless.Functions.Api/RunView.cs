using Serverless.Durable;
using Serverless.Orchestrations.Training;

namespace Serverless.Functions.Api;

/// <summary>
/// A training run as the API shows it: the durable instance's state read through the run report, with what
/// started it (<see cref="Trigger"/>), who asked (<see cref="RequestedBy"/>) and why (<see cref="Reason"/>).
/// </summary>
internal sealed record RunView(
    string Id,
    string? Project,
    string? Trigger,
    string? RequestedBy,
    string? Reason,
    string Status,
    string RuntimeStatus,
    DateTimeOffset CreatedAt,
    DateTimeOffset LastUpdatedAt,
    RunReport? Report,
    string? FailureReason)
{
    public static RunView From(OrchestrationMetadata instance)
    {
        ArgumentNullException.ThrowIfNull(instance);
        var report = instance.RuntimeStatus == OrchestrationRuntimeStatus.Completed
            ? instance.ReadOutputAs<RunReport>() ?? instance.ReadCustomStatusAs<RunReport>()
            : instance.ReadCustomStatusAs<RunReport>();
        var status = instance.RuntimeStatus switch
        {
            OrchestrationRuntimeStatus.Failed => RunOutcomes.Failed,
            OrchestrationRuntimeStatus.Terminated => "Terminated",
            OrchestrationRuntimeStatus.Suspended => "Suspended",
            OrchestrationRuntimeStatus.Pending => "Pending",
            _ => report?.Outcome ?? instance.RuntimeStatus.ToString(),
        };
        var failure = report?.FailureReason ?? instance.FailureDetails?.ErrorMessage;
        return new RunView(instance.InstanceId, report?.Project, report?.Trigger, report?.RequestedBy, report?.Reason, status, instance.RuntimeStatus.ToString(), instance.CreatedAt, instance.LastUpdatedAt, report, failure);
    }
}
