using System.Diagnostics;
using DurableTask.AzureStorage;
using DurableTask.Core;
using DurableTask.Core.History;
using DurableTask.Core.Query;
using DurableTask.Core.Tracing;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Options;
using CoreStatus = DurableTask.Core.OrchestrationStatus;
using CorePurgeFilter = DurableTask.Core.PurgeInstanceFilter;
using CoreQuery = DurableTask.Core.Query.OrchestrationQuery;
using SdkQuery = Microsoft.DurableTask.Client.OrchestrationQuery;
using PurgeResult = Microsoft.DurableTask.Client.PurgeResult;

namespace Serverless.DurableTask.AzureStorage;

/// <summary>
/// The Durable Task SDK's <see cref="DurableTaskClient"/> over DTFx's Azure Storage provider (build target of
/// <c>AddDurableTaskClient(b => b.UseAzureStorage())</c>). Starting an instance id that is in one of the request's
/// dedupe statuses throws <see cref="global::DurableTask.Core.Exceptions.OrchestrationAlreadyExistsException"/>; without
/// dedupe statuses, as Durable Functions does by default, a pending, running or suspended instance is not replaced
/// and a finished one is started again. Purging leaves instances that have not ended alone.
/// </summary>
public sealed class AzureStorageDurableTaskClient : DurableTaskClient
{
    private static readonly CoreStatus[] NotOverridable = [CoreStatus.Pending, CoreStatus.Running, CoreStatus.Suspended];
    private static readonly DateTime EarliestCreated = new(1601, 1, 1, 0, 0, 0, DateTimeKind.Utc);
    private static readonly TimeSpan MaxPollingDelay = TimeSpan.FromSeconds(1);
    private readonly DurableTaskHub _hub;
    private readonly DataConverter _converter;

    public AzureStorageDurableTaskClient(string name, DurableTaskHub hub, IOptionsMonitor<DurableTaskClientOptions> options)
        : base(name)
    {
        ArgumentNullException.ThrowIfNull(options);
        _hub = hub;
        _converter = options.Get(name).DataConverter;
    }

    private AzureStorageOrchestrationService Service => _hub.Service;

    public override async Task<string> ScheduleNewOrchestrationInstanceAsync(
        TaskName orchestratorName, object? input = null, StartOrchestrationOptions? options = null, CancellationToken cancellation = default)
    {
        var instanceId = options?.InstanceId ?? Guid.NewGuid().ToString("N");
        var caller = Activity.Current;
        var started = new ExecutionStartedEvent(-1, _converter.Serialize(input))
        {
            Name = orchestratorName.Name,
            Version = options?.Version?.Version ?? string.Empty,
            OrchestrationInstance = new OrchestrationInstance { InstanceId = instanceId, ExecutionId = Guid.NewGuid().ToString("N") },
            Tags = options?.Tags is { Count: > 0 } tags ? new Dictionary<string, string>(tags) : null,
            ScheduledStartTime = options?.StartAt?.UtcDateTime,

            // The trigger's trace continues in the orchestration (DTFx persists it in history); without one, a new trace starts.
            ParentTraceContext = caller?.Id is { } traceParent ? new DistributedTraceContext(traceParent, caller.TraceStateString) : null,
            GenerateNewTrace = true,
        };
        var message = new TaskMessage { OrchestrationInstance = started.OrchestrationInstance, Event = started };
        await Service.CreateTaskOrchestrationAsync(message, DedupeStatuses(options)).WaitAsync(cancellation).ConfigureAwait(false);
        return instanceId;
    }

    public override Task RaiseEventAsync(string instanceId, string eventName, object? eventPayload = null, CancellationToken cancellation = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(instanceId);
        ArgumentException.ThrowIfNullOrEmpty(eventName);
        return SendAsync(instanceId, new EventRaisedEvent(-1, _converter.Serialize(eventPayload)) { Name = eventName }, cancellation);
    }

    public override Task TerminateInstanceAsync(string instanceId, TerminateInstanceOptions? options = null, CancellationToken cancellation = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(instanceId);
        return Service.ForceTerminateTaskOrchestrationAsync(instanceId, _converter.Serialize(options?.Output)).WaitAsync(cancellation);
    }

    public override Task SuspendInstanceAsync(string instanceId, string? reason = null, CancellationToken cancellation = default) =>
        SendAsync(instanceId, new ExecutionSuspendedEvent(-1, reason), cancellation);

    public override Task ResumeInstanceAsync(string instanceId, string? reason = null, CancellationToken cancellation = default) =>
        SendAsync(instanceId, new ExecutionResumedEvent(-1, reason), cancellation);

    public override async Task<OrchestrationMetadata?> GetInstancesAsync(string instanceId, bool getInputsAndOutputs = false, CancellationToken cancellation = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(instanceId);
        var states = await Service.GetOrchestrationStateAsync(instanceId, allExecutions: false, fetchInput: getInputsAndOutputs).WaitAsync(cancellation).ConfigureAwait(false);

        // A purged instance can come back as a null entry.
        return states?.FirstOrDefault(s => s is not null) is { } state ? ToMetadata(state, getInputsAndOutputs) : null;
    }

    public override AsyncPageable<OrchestrationMetadata> GetAllInstancesAsync(SdkQuery? filter = null) =>
        Pageable.Create<OrchestrationMetadata>(async (continuation, pageSize, cancellation) =>
        {
            var query = new CoreQuery
            {
                RuntimeStatus = filter?.Statuses?.Select(RuntimeStatusMapping.ToCore).ToList(),
                CreatedTimeFrom = filter?.CreatedFrom?.UtcDateTime,
                CreatedTimeTo = filter?.CreatedTo?.UtcDateTime,
                InstanceIdPrefix = filter?.InstanceIdPrefix,
                PageSize = pageSize ?? filter?.PageSize ?? SdkQuery.DefaultPageSize,
                ContinuationToken = continuation ?? filter?.ContinuationToken,
                FetchInputsAndOutputs = filter?.FetchInputsAndOutputs ?? false,
            };
            var result = await Service.GetOrchestrationWithQueryAsync(query, cancellation).ConfigureAwait(false);
            var fetched = query.FetchInputsAndOutputs;
            return new Page<OrchestrationMetadata>(
                [.. result.OrchestrationState.Where(s => s is not null).Select(s => ToMetadata(s, fetched))],
                string.IsNullOrEmpty(result.ContinuationToken) ? null : result.ContinuationToken);
        });

    public override Task<OrchestrationMetadata> WaitForInstanceStartAsync(string instanceId, bool getInputsAndOutputs = false, CancellationToken cancellation = default) =>
        PollAsync(instanceId, getInputsAndOutputs, m => m.RuntimeStatus != OrchestrationRuntimeStatus.Pending, cancellation);

    public override Task<OrchestrationMetadata> WaitForInstanceCompletionAsync(string instanceId, bool getInputsAndOutputs = false, CancellationToken cancellation = default) =>
        PollAsync(instanceId, getInputsAndOutputs, m => m.IsCompleted, cancellation);

    /// <summary>Purges an ended instance's history and state; one that has not ended, or does not exist, is left alone (0 purged).</summary>
    public override async Task<PurgeResult> PurgeInstanceAsync(string instanceId, PurgeInstanceOptions? options = null, CancellationToken cancellation = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(instanceId);
        var states = await Service.GetOrchestrationStateAsync(instanceId, allExecutions: false, fetchInput: false).WaitAsync(cancellation).ConfigureAwait(false);
        if (states?.FirstOrDefault(s => s is not null) is not { } state || !RuntimeStatusMapping.IsTerminal(state.OrchestrationStatus))
        {
            return new PurgeResult(0);
        }

        var result = await ((IOrchestrationServicePurgeClient)Service).PurgeInstanceStateAsync(instanceId).WaitAsync(cancellation).ConfigureAwait(false);
        return new PurgeResult(result.DeletedInstanceCount);
    }

    /// <summary>Purges the ended instances the filter matches (statuses that have not ended are ignored).</summary>
    public override async Task<PurgeResult> PurgeAllInstancesAsync(PurgeInstancesFilter filter, PurgeInstanceOptions? options = null, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(filter);
        var statuses = filter.Statuses?.Select(RuntimeStatusMapping.ToCore).Where(RuntimeStatusMapping.IsTerminal).ToList() ?? [.. RuntimeStatusMapping.Terminal];
        if (statuses.Count == 0)
        {
            return new PurgeResult(0);
        }

        var coreFilter = new CorePurgeFilter(filter.CreatedFrom?.UtcDateTime ?? EarliestCreated, filter.CreatedTo?.UtcDateTime, statuses) { Timeout = filter.Timeout };
        var result = await ((IOrchestrationServicePurgeClient)Service).PurgeInstanceStateAsync(coreFilter).WaitAsync(cancellation).ConfigureAwait(false);
        return new PurgeResult(result.DeletedInstanceCount);
    }

    public override async Task<IList<HistoryEvent>> GetOrchestrationHistoryAsync(string instanceId, CancellationToken cancellation = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(instanceId);
        var json = await Service.GetOrchestrationHistoryAsync(instanceId, executionId: null).WaitAsync(cancellation).ConfigureAwait(false);
        return string.IsNullOrEmpty(json) ? [] : HistoryJson.Parse(json);
    }

    public override ValueTask DisposeAsync() => ValueTask.CompletedTask;

    private static CoreStatus[] DedupeStatuses(StartOrchestrationOptions? options) =>
        options?.DedupeStatuses is { Count: > 0 } names
            ? [.. names.Select(n => RuntimeStatusMapping.ToCore(Enum.Parse<OrchestrationRuntimeStatus>(n, ignoreCase: true)))]
            : NotOverridable;

    private Task SendAsync(string instanceId, HistoryEvent e, CancellationToken cancellation)
    {
        ArgumentException.ThrowIfNullOrEmpty(instanceId);
        var message = new TaskMessage { OrchestrationInstance = new OrchestrationInstance { InstanceId = instanceId }, Event = e };
        return Service.SendTaskOrchestrationMessageAsync(message).WaitAsync(cancellation);
    }

    private async Task<OrchestrationMetadata> PollAsync(string instanceId, bool getInputsAndOutputs, Func<OrchestrationMetadata, bool> done, CancellationToken cancellation)
    {
        var delay = TimeSpan.FromMilliseconds(100);
        while (true)
        {
            if (await GetInstancesAsync(instanceId, getInputsAndOutputs, cancellation).ConfigureAwait(false) is { } metadata && done(metadata))
            {
                return metadata;
            }

            await Task.Delay(delay, cancellation).ConfigureAwait(false);
            delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, MaxPollingDelay.Ticks));
        }
    }

    private OrchestrationMetadata ToMetadata(OrchestrationState state, bool withInputsAndOutputs) =>
        new(state.Name, state.OrchestrationInstance.InstanceId)
        {
            DataConverter = _converter,
            RuntimeStatus = RuntimeStatusMapping.FromCore(state.OrchestrationStatus),
            CreatedAt = new DateTimeOffset(DateTime.SpecifyKind(state.CreatedTime, DateTimeKind.Utc)),
            LastUpdatedAt = new DateTimeOffset(DateTime.SpecifyKind(state.LastUpdatedTime, DateTimeKind.Utc)),
            SerializedInput = withInputsAndOutputs ? state.Input : null,
            SerializedOutput = withInputsAndOutputs ? state.Output : null,
            SerializedCustomStatus = state.Status,
            Tags = state.Tags is { Count: > 0 } tags ? tags.ToDictionary(t => t.Key, t => t.Value) : new Dictionary<string, string>(),
            FailureDetails = state.FailureDetails is { } f ? ToSdk(f) : null,
        };

    private static TaskFailureDetails ToSdk(FailureDetails details) =>
        new(details.ErrorType, details.ErrorMessage, details.StackTrace, details.InnerFailure is { } inner ? ToSdk(inner) : null, details.Properties);
}
