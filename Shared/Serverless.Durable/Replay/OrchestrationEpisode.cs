namespace Serverless.Durable.Replay;

/// <summary>
/// What one run of an orchestrator over its history decided: the events to append (the applied messages,
/// the new actions and, when it finished, the completion), and its custom status.
/// </summary>
internal sealed record OrchestrationEpisode(
    IReadOnlyList<HistoryEvent> NewEvents,
    OrchestrationRuntimeStatus RuntimeStatus,
    string? CustomStatus,
    HistoryEvent? Completion);
