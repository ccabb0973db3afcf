using System.Diagnostics;
using Serverless.Durable.Storage;
using Serverless.Storage;

namespace Serverless.Durable;

/// <summary>The client over the task hub's storage: it writes instance rows and sends control messages; the workers do the rest.</summary>
internal sealed class StorageDurableTaskClient(TaskHubStorage storage, DataConverter converter) : DurableTaskClient
{
    public override async Task<string> ScheduleNewOrchestrationInstanceAsync(TaskName orchestratorName, object? input = null, StartOrchestrationOptions? options = null, CancellationToken cancellation = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(orchestratorName.Name, nameof(orchestratorName));
        await storage.EnsureCreatedAsync(cancellation).ConfigureAwait(false);
        var instanceId = options?.InstanceId ?? Guid.NewGuid().ToString("N");
        ArgumentException.ThrowIfNullOrWhiteSpace(instanceId, nameof(options));
        var existing = await storage.Instances.GetRowAsync(instanceId, cancellation).ConfigureAwait(false);
        if (existing is not null && Enum.TryParse<OrchestrationRuntimeStatus>(existing.GetString("RuntimeStatus"), out var status) && !status.IsTerminal())
        {
            throw new OrchestrationAlreadyExistsException($"An orchestration instance with id '{instanceId}' is already {status}; it was not started again.");
        }

        var now = DateTimeOffset.UtcNow;
        var executionId = Guid.NewGuid().ToString("N");
        var serialized = converter.Serialize(input);
        try
        {
            await storage.Instances.WriteNewAsync(instanceId, orchestratorName.Name, executionId, OrchestrationRuntimeStatus.Pending, serialized, now, existing?.ETag, cancellation).ConfigureAwait(false);
        }
        catch (StorageConflictException e)
        {
            throw new OrchestrationAlreadyExistsException($"An orchestration instance with id '{instanceId}' was started concurrently; it was not started twice.", e);
        }

        var delay = options?.StartAt is { } startAt && startAt > now ? startAt - now : (TimeSpan?)null;
        var caller = Activity.Current is { IdFormat: ActivityIdFormat.W3C } current ? current : null; // the trace the orchestration joins
        await storage.SendToInstanceAsync(new TaskMessage(instanceId, executionId, new HistoryEvent
        {
            TraceParent = caller?.Id,
            TraceState = caller?.TraceStateString,
            Type = HistoryEventType.ExecutionStarted,
            Name = orchestratorName.Name,
            Input = serialized,
            ExecutionId = executionId,
            ScheduledAt = now.UtcDateTime,
            Timestamp = now.UtcDateTime,
        }), delay, cancellation).ConfigureAwait(false);
        return instanceId;
    }

    public override async Task<OrchestrationMetadata?> GetInstanceAsync(string instanceId, bool getInputsAndOutputs = false, CancellationToken cancellation = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(instanceId);
        var metadata = await storage.Instances.GetAsync(instanceId, getInputsAndOutputs, cancellation).ConfigureAwait(false);
        if (metadata is null || metadata.IsCompleted)
        {
            return metadata;
        }

        // A host may have died between appending history and updating the row: repair the row from history.
        var sentinel = await storage.History.GetSentinelAsync(instanceId, cancellation).ConfigureAwait(false);
        if (sentinel is null || sentinel.GetString("ExecutionId") != metadata.ExecutionId
            || !Enum.TryParse<OrchestrationRuntimeStatus>(sentinel.GetString("RuntimeStatus"), out var recorded)
            || recorded == metadata.RuntimeStatus || !recorded.IsTerminal())
        {
            return metadata;
        }

        var history = await storage.History.LoadAsync(instanceId, cancellation).ConfigureAwait(false);
        var completion = history.Events.LastOrDefault(e => e.Type == HistoryEventType.ExecutionCompleted);
        await storage.Instances.WriteCheckpointAsync(instanceId, null, recorded, null, completion, cancellation).ConfigureAwait(false);
        return await storage.Instances.GetAsync(instanceId, getInputsAndOutputs, cancellation).ConfigureAwait(false);
    }

    public override async Task<OrchestrationQueryPage> QueryInstancesAsync(OrchestrationQuery query, CancellationToken cancellation = default)
    {
        await storage.EnsureCreatedAsync(cancellation).ConfigureAwait(false);
        return await storage.Instances.QueryAsync(query, cancellation).ConfigureAwait(false);
    }

    public override async Task<IReadOnlyList<HistoryEvent>> GetHistoryAsync(string instanceId, CancellationToken cancellation = default) =>
        (await storage.History.LoadAsync(instanceId, cancellation).ConfigureAwait(false)).Events;

    public override Task RaiseEventAsync(string instanceId, string eventName, object? eventPayload = null, CancellationToken cancellation = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(eventName);
        return SendAsync(instanceId, new HistoryEvent { Type = HistoryEventType.EventRaised, Name = eventName, Input = converter.Serialize(eventPayload) }, cancellation);
    }

    public override Task TerminateInstanceAsync(string instanceId, object? output = null, CancellationToken cancellation = default) =>
        SendAsync(instanceId, new HistoryEvent { Type = HistoryEventType.ExecutionTerminated, Input = converter.Serialize(output) }, cancellation);

    public override Task SuspendInstanceAsync(string instanceId, string? reason = null, CancellationToken cancellation = default) =>
        SendAsync(instanceId, new HistoryEvent { Type = HistoryEventType.ExecutionSuspended, Input = reason }, cancellation);

    public override Task ResumeInstanceAsync(string instanceId, string? reason = null, CancellationToken cancellation = default) =>
        SendAsync(instanceId, new HistoryEvent { Type = HistoryEventType.ExecutionResumed, Input = reason }, cancellation);

    public override async Task<PurgeResult> PurgeInstanceAsync(string instanceId, CancellationToken cancellation = default)
    {
        var metadata = await GetInstanceAsync(instanceId, cancellation: cancellation).ConfigureAwait(false);
        if (metadata is null || !metadata.IsCompleted)
        {
            return new PurgeResult(0);
        }

        await storage.History.DeleteAsync(instanceId, cancellation).ConfigureAwait(false);
        await storage.Payloads.DeleteInstanceAsync(instanceId, cancellation).ConfigureAwait(false);
        await storage.Instances.DeleteAsync(instanceId, cancellation).ConfigureAwait(false);
        return new PurgeResult(1);
    }

    public override async Task<PurgeResult> PurgeAllInstancesAsync(PurgeInstancesFilter filter, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(filter);
        var statuses = (filter.Statuses ?? Enum.GetValues<OrchestrationRuntimeStatus>()).Where(s => s.IsTerminal()).ToList();
        if (statuses.Count == 0)
        {
            return new PurgeResult(0);
        }

        var query = new OrchestrationQuery { Statuses = statuses, CreatedFrom = filter.CreatedFrom, CreatedTo = filter.CreatedTo, PageSize = 100 };
        var ids = new List<string>();
        await foreach (var instance in GetAllInstancesAsync(query, cancellation).ConfigureAwait(false))
        {
            ids.Add(instance.InstanceId);
        }

        var purged = 0;
        foreach (var id in ids)
        {
            purged += (await PurgeInstanceAsync(id, cancellation).ConfigureAwait(false)).PurgedInstanceCount;
        }

        return new PurgeResult(purged);
    }

    public override Task<OrchestrationMetadata> WaitForInstanceCompletionAsync(string instanceId, bool getInputsAndOutputs = false, CancellationToken cancellation = default) =>
        PollAsync(instanceId, getInputsAndOutputs, s => s.IsTerminal(), cancellation);

    public override Task<OrchestrationMetadata> WaitForInstanceStartAsync(string instanceId, bool getInputsAndOutputs = false, CancellationToken cancellation = default) =>
        PollAsync(instanceId, getInputsAndOutputs, s => s != OrchestrationRuntimeStatus.Pending, cancellation);

    private async Task<OrchestrationMetadata> PollAsync(string instanceId, bool getInputsAndOutputs, Func<OrchestrationRuntimeStatus, bool> done, CancellationToken cancellation)
    {
        // Polls with a back-off; a checkpoint of the instance by this host's worker wakes the wait at once.
        var delay = TimeSpan.FromMilliseconds(20);
        while (true)
        {
            using var wait = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
            var changed = storage.StatusChanges.WaitForAsync(instanceId, done, wait.Token);
            var metadata = await GetInstanceAsync(instanceId, getInputsAndOutputs, cancellation).ConfigureAwait(false);
            if (metadata is null || !done(metadata.RuntimeStatus))
            {
                await Task.WhenAny(changed, Task.Delay(delay, wait.Token)).ConfigureAwait(false);
            }

            await wait.CancelAsync().ConfigureAwait(false);
            if (metadata is not null && done(metadata.RuntimeStatus))
            {
                return metadata;
            }

            cancellation.ThrowIfCancellationRequested();
            delay = TimeSpan.FromMilliseconds(Math.Min(1000, delay.TotalMilliseconds * 1.5));
        }
    }

    private async Task SendAsync(string instanceId, HistoryEvent e, CancellationToken cancellation)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(instanceId);
        await storage.EnsureCreatedAsync(cancellation).ConfigureAwait(false);
        await storage.SendToInstanceAsync(new TaskMessage(instanceId, null, e with { Timestamp = DateTime.UtcNow }), null, cancellation).ConfigureAwait(false);
    }
}
