using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.DurableTask.Client;

namespace Serverless.Orchestrations.Training;

/// <summary>
/// A training run as the API shows it: the durable instance's state read through the run report, with what
/// started it (<see cref="Trigger"/>), who asked (<see cref="RequestedBy"/>) and why (<see cref="Reason"/>).
/// The project is the one the run was started for (its <see cref="TrainingRunRequest"/> input), so a run
/// belongs to its project before it reports anything.
/// </summary>
public sealed record RunView(
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
    /// <summary>Whether the run has ended (completed, failed or terminated): its report is final.</summary>
    [JsonIgnore]
    public bool IsFinished { get; init; }

    /// <summary>The dataset version the run trained on, and its content hash (from the run store).</summary>
    public int? DatasetVersion { get; init; }

    public string? DatasetHash { get; init; }

    /// <summary>SHA-256 of the exact spec the run used (its snapshot: <c>GET /api/runs/{id}</c> shows it).</summary>
    public string? SpecHash { get; init; }

    /// <summary>The version of the product's code that ran it.</summary>
    public string? CodeVersion { get; init; }

    /// <summary>The model version the run registered.</summary>
    public int? ModelVersion { get; init; }

    /// <summary>The run this one reproduces (<c>POST /api/runs/{id}/rerun</c>).</summary>
    public string? RerunOf { get; init; }

    /// <summary>When the run ended (its last write), or null while it runs.</summary>
    public DateTimeOffset? EndedAt { get; init; }

    /// <summary>The evaluated model's test metrics, else the best candidate's validation metrics.</summary>
    public IReadOnlyDictionary<string, double>? Metrics { get; init; }

    public IReadOnlyDictionary<string, string> Tags { get; init; } = new Dictionary<string, string>();

    public string? Description { get; init; }

    /// <param name="instance">Read with inputs and outputs for the project, trigger and report; without, only the id, status and times are known.</param>
    public static RunView From(OrchestrationMetadata instance)
    {
        ArgumentNullException.ThrowIfNull(instance);
        var request = Request(instance);
        var report = instance.RuntimeStatus == OrchestrationRuntimeStatus.Completed
            ? Output(instance) ?? instance.ReadCustomStatusAs<RunReport>()
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
            failure)
        {
            IsFinished = instance.IsCompleted,
        };
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

    private static RunReport? Output(OrchestrationMetadata instance)
    {
        try
        {
            return instance.ReadOutputAs<RunReport>();
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
