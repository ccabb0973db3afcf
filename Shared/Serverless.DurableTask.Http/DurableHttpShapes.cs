using System.Text.Json;
using System.Text.Json.Serialization;

namespace Serverless.DurableTask.Http;

/// <summary>An instance's status in Durable Functions' JSON shape.</summary>
public sealed record InstanceStatusResponse(
    string Name,
    string InstanceId,
    string RuntimeStatus,
    JsonElement? Input,
    JsonElement? CustomStatus,
    JsonElement? Output,
    DateTimeOffset CreatedTime,
    DateTimeOffset LastUpdatedTime)
{
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<HistoryEventResponse>? HistoryEvents { get; init; }
}

/// <summary>One history event in Durable Functions' <c>historyEvents</c> shape.</summary>
public sealed record HistoryEventResponse(string EventType, DateTime Timestamp)
{
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? FunctionName { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public int? EventId { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public DateTime? FireAt { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public DateTime? ScheduledTime { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public JsonElement? Input { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public JsonElement? Result { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? OrchestrationStatus { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public FailureDetailsResponse? FailureDetails { get; init; }
}

/// <summary>
/// Why an activity, sub-orchestration or orchestration failed: the exception's type, message and stack, its inner
/// failure, and for a failed activity or sub-orchestration the name of what failed.
/// </summary>
public sealed record FailureDetailsResponse(
    string ErrorType,
    string ErrorMessage,
    string? StackTrace = null,
    FailureDetailsResponse? InnerFailure = null,
    string? TaskName = null);

/// <summary>The management URLs of an instance (the body of the check-status response).</summary>
public sealed record HttpManagementPayload(
    string Id,
    string StatusQueryGetUri,
    string SendEventPostUri,
    string TerminatePostUri,
    string PurgeHistoryDeleteUri,
    string SuspendPostUri,
    string ResumePostUri);

/// <summary>The body of a purge.</summary>
public sealed record PurgeHistoryResponse(int InstancesDeleted);
