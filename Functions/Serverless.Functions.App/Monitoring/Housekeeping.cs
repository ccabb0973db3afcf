using System.Globalization;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Serverless.Monitoring.Stores;
using Serverless.Registry;
using Serverless.Serving.PredictionLogging;
using Serverless.Storage;

namespace Serverless.Functions.Monitoring;

/// <summary>
/// Retention: purges logged predictions and feedback past their retention, finished orchestrations past theirs, and
/// orphaned run folders (<c>artifacts/runs/{runId}/</c> of runs that no longer exist and registered no version), and old
/// webhook delivery records.
/// Dataset folders, model folders and anything a registered version's lineage names are never touched.
/// </summary>
public sealed partial class Housekeeping(
    ITableStore tables,
    IBlobStore blobs,
    DurableTaskClient durable,
    ModelRegistry registry,
    RegistryTables registryNames,
    MonitoringStorageNames monitoringNames,
    IOptions<PredictionLogOptions> log,
    IOptions<RetentionOptions> options,
    TimeProvider time,
    ILogger<Housekeeping> logger)
{
    private const string RunsPrefix = "runs/";

    public async Task<RetentionResult> RunAsync(CancellationToken cancellationToken)
    {
        var settings = options.Value;
        settings.Validate();
        var now = time.GetUtcNow();
        var predictions = await PurgeRowsAsync(log.Value.TableName, "Time", now - settings.PredictionLog, cancellationToken).ConfigureAwait(false);
        var feedback = await PurgeRowsAsync(log.Value.FeedbackTableName, "PredictedAt", now - settings.PredictionLog, cancellationToken).ConfigureAwait(false);
        var purged = await durable.PurgeAllInstancesAsync(new PurgeInstancesFilter(CreatedTo: now - settings.OrchestrationHistory, Statuses: [OrchestrationRuntimeStatus.Completed, OrchestrationRuntimeStatus.Failed, OrchestrationRuntimeStatus.Terminated]), cancellationToken).ConfigureAwait(false);
        var orphans = await RemoveOrphanedRunFoldersAsync(now - settings.OrphanGrace, cancellationToken).ConfigureAwait(false);
        var deliveries = await PurgeRowsAsync(monitoringNames.WebhookDeliveriesTable, "At", now - settings.WebhookDeliveries, cancellationToken).ConfigureAwait(false);
        Log.Purged(logger, predictions, feedback, purged.PurgedInstanceCount, orphans.Count, deliveries);
        return new RetentionResult(predictions, feedback, purged.PurgedInstanceCount, orphans, deliveries);
    }

    private async Task<int> PurgeRowsAsync(string table, string timeColumn, DateTimeOffset before, CancellationToken cancellationToken)
    {
        await tables.CreateTableIfNotExistsAsync(table, cancellationToken).ConfigureAwait(false);
        var query = new TableQuery
        {
            Filter = $"{timeColumn} lt datetime'{before.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.fffffffZ", CultureInfo.InvariantCulture)}'",
        };
        var old = new List<TableEntity>();
        await foreach (var row in tables.QueryAsync(table, query, cancellationToken).ConfigureAwait(false))
        {
            old.Add(row);
        }

        foreach (var partition in old.GroupBy(r => r.PartitionKey))
        {
            foreach (var chunk in partition.Chunk(100))
            {
                await tables.SubmitTransactionAsync(table, chunk.Select(r => TableOperation.Delete(r)).ToList(), cancellationToken).ConfigureAwait(false);
            }
        }

        return old.Count;
    }

    private async Task<IReadOnlyList<string>> RemoveOrphanedRunFoldersAsync(DateTimeOffset quietSince, CancellationToken cancellationToken)
    {
        var container = registryNames.ArtifactsContainer;
        var folders = new Dictionary<string, List<BlobItem>>(StringComparer.Ordinal);
        await foreach (var blob in blobs.ListAsync(container, RunsPrefix, cancellationToken).ConfigureAwait(false))
        {
            var runId = blob.Name[RunsPrefix.Length..].Split('/')[0];
            if (!folders.TryGetValue(runId, out var items))
            {
                folders[runId] = items = [];
            }

            items.Add(blob);
        }

        if (folders.Count == 0)
        {
            return [];
        }

        var referenced = await ReferencedRunsAsync(cancellationToken).ConfigureAwait(false);
        var removed = new List<string>();
        foreach (var (runId, items) in folders)
        {
            if (referenced.Contains(runId)
                || items.Max(b => b.LastModified) >= quietSince
                || await durable.GetInstanceAsync(runId, cancellationToken).ConfigureAwait(false) is not null)
            {
                continue;
            }

            foreach (var blob in items)
            {
                await blobs.DeleteIfExistsAsync(container, blob.Name, cancellationToken: cancellationToken).ConfigureAwait(false);
            }

            removed.Add(RunsPrefix + runId);
        }

        return removed;
    }

    /// <summary>Runs that registered a version (every version's lineage), whose artifacts stay.</summary>
    private async Task<HashSet<string>> ReferencedRunsAsync(CancellationToken cancellationToken)
    {
        var runs = new HashSet<string>(StringComparer.Ordinal);
        foreach (var model in await registry.ListModelsAsync(cancellationToken).ConfigureAwait(false))
        {
            foreach (var version in await registry.ListVersionsAsync(model.Name, cancellationToken).ConfigureAwait(false))
            {
                if (version.Lineage.RunId is { } runId)
                {
                    runs.Add(runId);
                }
            }
        }

        return runs;
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 6401, Level = LogLevel.Information, Message = "Housekeeping purged {Predictions} logged predictions, {Feedback} feedback rows, {Orchestrations} orchestrations, {Orphans} orphaned run folders and {Deliveries} webhook delivery records")]
        public static partial void Purged(ILogger logger, int predictions, int feedback, int orchestrations, int orphans, int deliveries);
    }
}
