using System.Collections.Concurrent;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Logging;
using Serverless.Monitoring.Stores;
using Serverless.Monitoring.Webhooks;
using Serverless.Orchestrations.Training;
using Serverless.Storage;

namespace Serverless.Functions.Monitoring;

/// <summary>
/// Turns finished training runs into webhooks: <c>run.completed</c> (registered or promoted), <c>run.rejected</c>
/// (gates, approval rejected or timed out), <c>run.failed</c>, plus <c>model.registered</c> for the versions runs
/// registered. (<c>alias.changed</c> comes from the registry's outbox for every alias change, whoever made it: see
/// <see cref="AliasEventDispatcher"/>.) Each run is announced once across hosts: a claim row per run id
/// (added, so a second host's add conflicts) precedes the deliveries. Reads the durable instance store, so the
/// pipeline needs no change.
/// </summary>
public sealed partial class RunEventNotifier(
    DurableTaskClient durable,
    ITableStore tables,
    MonitoringStorageNames names,
    WebhookPublisher webhooks,
    TimeProvider time,
    ILogger<RunEventNotifier> logger)
{
    private const string Partition = "run";

    /// <summary>Runs announced by this host or claimed by another, with their creation time (forgotten after <see cref="Lookback"/>).</summary>
    private readonly ConcurrentDictionary<string, DateTimeOffset> _settled = new(StringComparer.Ordinal);

    /// <summary>Runs finished within this long before now are announced (older ones were before the notifier ran).</summary>
    public static readonly TimeSpan Lookback = TimeSpan.FromHours(6);

    /// <summary>Announces every newly finished run; returns how many were announced.</summary>
    /// <remarks>
    /// A poll reads instance rows only (no inputs or outputs) of the runs that finished within <see cref="Lookback"/>;
    /// runs this host has already announced, or seen claimed by another host, are remembered and skipped without a
    /// storage call, so a poll costs one query however many runs are on record.
    /// </remarks>
    public async Task<int> NotifyFinishedRunsAsync(CancellationToken cancellationToken)
    {
        await tables.CreateTableIfNotExistsAsync(names.RetrainsTable, cancellationToken).ConfigureAwait(false);
        var since = time.GetUtcNow() - Lookback;
        foreach (var (runId, createdAt) in _settled)
        {
            if (createdAt < since)
            {
                _settled.TryRemove(runId, out _);
            }
        }

        var query = new OrchestrationQuery
        {
            InstanceIdPrefix = "train-",
            CreatedFrom = since,
            Statuses = [OrchestrationRuntimeStatus.Completed, OrchestrationRuntimeStatus.Failed, OrchestrationRuntimeStatus.Terminated],
        };
        var announced = 0;
        await foreach (var row in durable.GetAllInstancesAsync(query).WithCancellation(cancellationToken).ConfigureAwait(false))
        {
            if (!row.IsCompleted || _settled.ContainsKey(row.InstanceId))
            {
                continue;
            }

            var instance = await durable.GetInstanceAsync(row.InstanceId, getInputsAndOutputs: true, cancellationToken).ConfigureAwait(false);
            if (instance is null || Report(instance) is not { } report || EventType(instance, report) is not { } type)
            {
                _settled[row.InstanceId] = row.CreatedAt;
                continue;
            }

            try
            {
                await tables.AddAsync(names.RetrainsTable, new TableEntity(Partition, instance.InstanceId, new Dictionary<string, object?> { ["Type"] = type, ["At"] = time.GetUtcNow() }), cancellationToken).ConfigureAwait(false);
            }
            catch (StorageConflictException)
            {
                _settled[row.InstanceId] = row.CreatedAt;
                continue;
            }

            await AnnounceAsync(instance, report, type, cancellationToken).ConfigureAwait(false);
            _settled[row.InstanceId] = row.CreatedAt;
            announced++;
        }

        return announced;
    }

    private async Task AnnounceAsync(OrchestrationMetadata instance, RunReport report, string type, CancellationToken cancellationToken)
    {
        var data = new
        {
            runId = instance.InstanceId,
            report.Project,
            report.Trigger,
            report.CorrelationId,
            outcome = report.Outcome,
            report.ModelVersion,
            report.Promotion,
            failureReason = report.FailureReason ?? instance.FailureDetails?.ErrorMessage,
        };
        await webhooks.PublishAsync(type, $"runs/{instance.InstanceId}", data, cancellationToken).ConfigureAwait(false);
        if (report.ModelVersion is int version)
        {
            await webhooks.PublishAsync(WebhookEventTypes.ModelRegistered, $"models/{report.Project}/versions/{version}", data, cancellationToken).ConfigureAwait(false);
        }

        Log.Announced(logger, instance.InstanceId, type);
    }

    private static RunReport? Report(OrchestrationMetadata instance)
    {
        try
        {
            return instance.ReadOutputAs<RunReport>() ?? instance.ReadCustomStatusAs<RunReport>();
        }
        catch (System.Text.Json.JsonException)
        {
            return instance.ReadCustomStatusAs<RunReport>();
        }
    }

    private static string? EventType(OrchestrationMetadata instance, RunReport report) =>
        instance.RuntimeStatus == OrchestrationRuntimeStatus.Failed || report.Outcome == RunOutcomes.Failed ? WebhookEventTypes.RunFailed
        : report.Outcome is RunOutcomes.Promoted or RunOutcomes.Registered ? WebhookEventTypes.RunCompleted
        : report.Outcome is RunOutcomes.Rejected or RunOutcomes.ApprovalRejected or RunOutcomes.ApprovalTimedOut ? WebhookEventTypes.RunRejected
        : null;

    private static partial class Log
    {
        [LoggerMessage(EventId = 6201, Level = LogLevel.Information, Message = "Announced training run {RunId} as {EventType}")]
        public static partial void Announced(ILogger logger, string runId, string eventType);
    }
}
