using Serverless.Storage;

namespace Serverless.Durable.Storage;

/// <summary>The stored history of an instance's current execution and the sentinel row's ETag that guards appends.</summary>
internal sealed record HistorySnapshot(IReadOnlyList<HistoryEvent> Events, ETag? SentinelETag, string? ExecutionId);
