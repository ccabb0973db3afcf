using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Serverless.Monitoring.Stores;
using Serverless.Monitoring.Webhooks;
using Serverless.Orchestrations.Training;
using Serverless.Storage;
using Serverless.Monitoring;
using Serverless.Serving.PredictionLogging;

namespace Serverless.Orchestrations.Monitoring;

/// <summary>
/// Turns finished training runs into webhooks: <c>run.completed</c> (registered or promoted), <c>run.rejected</c>
/// (gates, approval rejected or timed out), <c>run.failed</c>, plus <c>model.registered</c> for the versions runs
/// registered. (<c>alias.changed</c> comes from the registry's outbox for every alias change, whoever made it: see
/// <see cref="AliasEventDispatcher"/>.) Reads finished runs through <see cref="TrainingRuns"/>, so the pipeline needs no change.
/// </summary>
/// <remarks>
/// The instance store can only be queried by creation time, and a run may finish days after it started (approval
/// waits), so finding runs is two steps: runs created within <see cref="Lookback"/> are read every poll, and those still
/// running are put on a watch list (a row per run) that later polls check by id until they finish, however long that
/// takes. A finished run's events have stable ids and go through <see cref="LedgeredWebhookDelivery"/>; the run is marked
/// announced (a row per run id) only once every webhook has them or was given up after retries, so a failed delivery is
/// tried again on the next poll and a host that stops midway loses nothing.
/// </remarks>
public sealed partial class RunEventNotifier(
    TrainingRuns runs,
    ITableStore tables,
    MonitoringStorageNames names,
    LedgeredWebhookDelivery webhooks,
    TimeProvider time,
    ILogger<RunEventNotifier> logger)
{
    private const string AnnouncedPartition = "run";
    private const string WatchPartition = "run-watch";

    /// <summary>Runs announced (or with nothing to announce), with when this host learnt it (forgotten after <see cref="Lookback"/>).</summary>
    private readonly ConcurrentDictionary<string, DateTimeOffset> _settled = new(StringComparer.Ordinal);

    /// <summary>Runs this host put on the watch list.</summary>
    private readonly ConcurrentDictionary<string, DateTimeOffset> _watched = new(StringComparer.Ordinal);

    /// <summary>Runs created within this long before now are read by every poll; older unfinished ones are on the watch list.</summary>
    public static readonly TimeSpan Lookback = TimeSpan.FromHours(6);

    /// <summary>Announces every newly finished run; returns how many were announced.</summary>
    /// <remarks>
    /// A poll reads the instance rows (no inputs or outputs) of runs created within <see cref="Lookback"/> and the
    /// watch list; runs this host has settled are skipped without a storage call.
    /// </remarks>
    public async Task<int> NotifyFinishedRunsAsync(CancellationToken cancellationToken)
    {
        await tables.CreateTableIfNotExistsAsync(names.RetrainsTable, cancellationToken).ConfigureAwait(false);
        var now = time.GetUtcNow();
        Forget(_settled, now - Lookback);
        Forget(_watched, now - Lookback);

        var seen = new HashSet<string>(StringComparer.Ordinal);
        var announced = 0;
        await foreach (var row in runs.ListCreatedSinceAsync(now - Lookback, cancellationToken).ConfigureAwait(false))
        {
            seen.Add(row.Id);
            if (_settled.ContainsKey(row.Id))
            {
                continue;
            }

            if (!row.IsFinished)
            {
                await WatchAsync(row.Id, cancellationToken).ConfigureAwait(false);
            }
            else if (await SettleAsync(row.Id, cancellationToken).ConfigureAwait(false))
            {
                announced++;
            }
        }

        await foreach (var watch in tables.QueryAsync(names.RetrainsTable, TableQuery.Partition(WatchPartition), cancellationToken).ConfigureAwait(false))
        {
            if (!seen.Contains(watch.RowKey) && await SettleAsync(watch.RowKey, cancellationToken).ConfigureAwait(false))
            {
                announced++;
            }
        }

        return announced;
    }

    /// <summary>Announces <paramref name="runId"/> if it has finished and was not announced yet.</summary>
    /// <returns>Whether this call completed its announcement.</returns>
    private async Task<bool> SettleAsync(string runId, CancellationToken cancellationToken)
    {
        if (_settled.ContainsKey(runId))
        {
            return false;
        }

        var state = await runs.FindAsync(runId, withReport: false, cancellationToken).ConfigureAwait(false);
        if (state is not null && !state.IsFinished)
        {
            await WatchAsync(runId, cancellationToken).ConfigureAwait(false);
            return false;
        }

        if (state is null || await tables.GetAsync(names.RetrainsTable, AnnouncedPartition, runId, cancellationToken).ConfigureAwait(false) is not null)
        {
            await DoneAsync(runId, cancellationToken).ConfigureAwait(false); // purged, or announced by another host
            return false;
        }

        var run = await runs.FindAsync(runId, withReport: true, cancellationToken).ConfigureAwait(false);
        if (run?.Report is not { } report || EventType(run) is not { } type)
        {
            await DoneAsync(runId, cancellationToken).ConfigureAwait(false);
            return false;
        }

        if (!await AnnounceAsync(run, report, type, cancellationToken).ConfigureAwait(false))
        {
            await WatchAsync(runId, cancellationToken).ConfigureAwait(false); // tried again next poll
            return false;
        }

        await tables.UpsertAsync(names.RetrainsTable, new TableEntity(AnnouncedPartition, runId, new Dictionary<string, object?> { ["Type"] = type, ["At"] = time.GetUtcNow() }), cancellationToken: cancellationToken).ConfigureAwait(false);
        await DoneAsync(runId, cancellationToken).ConfigureAwait(false);
        Log.Announced(logger, runId, type);
        return true;
    }

    private async Task WatchAsync(string runId, CancellationToken cancellationToken)
    {
        if (_watched.ContainsKey(runId))
        {
            return;
        }

        await tables.UpsertAsync(names.RetrainsTable, new TableEntity(WatchPartition, runId, new Dictionary<string, object?> { ["At"] = time.GetUtcNow() }), cancellationToken: cancellationToken).ConfigureAwait(false);
        _watched[runId] = time.GetUtcNow();
    }

    private async Task DoneAsync(string runId, CancellationToken cancellationToken)
    {
        await tables.DeleteAsync(names.RetrainsTable, WatchPartition, runId, cancellationToken: cancellationToken).ConfigureAwait(false);
        _watched.TryRemove(runId, out _);
        _settled[runId] = time.GetUtcNow();
    }

    private static void Forget(ConcurrentDictionary<string, DateTimeOffset> runs, DateTimeOffset before)
    {
        foreach (var (runId, at) in runs)
        {
            if (at < before)
            {
                runs.TryRemove(runId, out _);
            }
        }
    }

    /// <returns>Whether every webhook has the run's events (or was given up for them).</returns>
    private async Task<bool> AnnounceAsync(RunView run, RunReport report, string type, CancellationToken cancellationToken)
    {
        var data = new
        {
            runId = run.Id,
            report.Project,
            report.Trigger,
            report.CorrelationId,
            outcome = report.Outcome,
            report.ModelVersion,
            report.Promotion,
            failureReason = run.FailureReason,
        };
        var done = await webhooks.DeliverAsync(Event(run, type, $"runs/{run.Id}", data), cancellationToken).ConfigureAwait(false);
        if (report.ModelVersion is int version)
        {
            done &= await webhooks.DeliverAsync(Event(run, WebhookEventTypes.ModelRegistered, $"models/{report.Project}/versions/{version}", data), cancellationToken).ConfigureAwait(false);
        }

        return done;
    }

    /// <summary>An event whose id and time are the same on every pass (the id is what receivers and the ledger deduplicate on).</summary>
    private static WebhookEvent Event<T>(RunView run, string type, string subject, T data) =>
        new(
            $"{run.Id}-{run.CreatedAt.ToUnixTimeMilliseconds()}-{type}",
            type,
            run.LastUpdatedAt,
            subject,
            JsonSerializer.SerializeToElement(data, JsonSerializerOptions.Web));

    /// <summary>The event a finished run announces (its status is the report's outcome, or <c>Failed</c> for a failed instance).</summary>
    private static string? EventType(RunView run) => run.Status switch
    {
        RunOutcomes.Failed => WebhookEventTypes.RunFailed,
        RunOutcomes.Promoted or RunOutcomes.Registered => WebhookEventTypes.RunCompleted,
        RunOutcomes.Rejected or RunOutcomes.ApprovalRejected or RunOutcomes.ApprovalTimedOut => WebhookEventTypes.RunRejected,
        _ => null,
    };

    private static partial class Log
    {
        [LoggerMessage(EventId = 6551, Level = LogLevel.Information, Message = "Announced training run {RunId} as {EventType}")]
        public static partial void Announced(ILogger logger, string runId, string eventType);
    }
}
