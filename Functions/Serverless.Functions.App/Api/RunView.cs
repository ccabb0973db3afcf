using System.Text.Json;
using Microsoft.DurableTask.Client;
using Serverless.Hosting;
using Serverless.Orchestrations.Training;

namespace Serverless.Functions.Api;

/// <summary>
/// A training run as the API shows it: the durable instance's state read through the run report, with what
/// started it (<see cref="Trigger"/>), who asked (<see cref="RequestedBy"/>) and why (<see cref="Reason"/>).
/// The project is the one the run was started for (its <see cref="TrainingRunRequest"/> input), so a run
/// belongs to its project before it reports anything.
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
    /// <param name="instance">Read with inputs and outputs.</param>
    public static RunView From(OrchestrationMetadata instance)
    {
        ArgumentNullException.ThrowIfNull(instance);
        var request = Request(instance);
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
        return new RunView(
            instance.InstanceId,
            request?.Project ?? report?.Project,
            report?.Trigger ?? request?.Trigger,
            report?.RequestedBy ?? request?.RequestedBy,
            report?.Reason ?? request?.ReasonOrDefault(),
            status,
            instance.RuntimeStatus.ToString(),
            instance.CreatedAt,
            instance.LastUpdatedAt,
            report,
            failure);
    }

    /// <summary>
    /// Whether <paramref name="caller"/> may see the run: a key scoped to projects sees only runs of those projects,
    /// never a run whose project is unknown.
    /// </summary>
    public bool IsVisibleTo(CallerIdentity caller)
    {
        ArgumentNullException.ThrowIfNull(caller);
        return Project is { } project ? caller.CanAccessProject(project) : !caller.IsScoped;
    }

    private static TrainingRunRequest? Request(OrchestrationMetadata instance)
    {
        try
        {
            return instance.ReadInputAs<TrainingRunRequest>();
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
