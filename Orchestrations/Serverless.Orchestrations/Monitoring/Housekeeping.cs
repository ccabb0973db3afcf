using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Serverless.Monitoring.Stores;
using Serverless.Orchestrations.Artifacts;
using Serverless.Orchestrations.Training;
using Serverless.Orchestrations.Training.Records;
using Serverless.Registry;
using Serverless.Serving.PredictionLogging;

namespace Serverless.Orchestrations.Monitoring;

/// <summary>
/// Retention: purges prediction log segments (whole hours) and feedback past their retention (<see cref="PredictionLogStore"/>),
/// finished orchestrations past theirs, orphaned run folders (<see cref="ArtifactPaths.RunFolder"/> of runs that no longer
/// exist, neither as an instance nor in the <see cref="RunStore"/>, and registered no version), and old webhook delivery
/// records (<see cref="WebhookDeliveryLedger"/>). Dataset folders, model folders, run records and anything a registered
/// version's lineage names are never touched.
/// </summary>
public sealed partial class Housekeeping(
    PredictionLogStore predictionLog,
    WebhookDeliveryLedger deliveries,
    ArtifactStore artifacts,
    DurableTaskClient durable,
    ModelRegistry registry,
    RunStore runStore,
    IOptions<RetentionOptions> options,
    TimeProvider time,
    ILogger<Housekeeping> logger)
{
    public async Task<RetentionResult> RunAsync(CancellationToken cancellationToken)
    {
        var settings = options.Value;
        settings.Validate();
        var now = time.GetUtcNow();
        var log = await predictionLog.PurgeBeforeAsync(now - settings.PredictionLog, cancellationToken).ConfigureAwait(false);
        var purged = await durable.PurgeAllInstancesAsync(new PurgeInstancesFilter(CreatedTo: now - settings.OrchestrationHistory, Statuses: [OrchestrationRuntimeStatus.Completed, OrchestrationRuntimeStatus.Failed, OrchestrationRuntimeStatus.Terminated]), cancellationToken).ConfigureAwait(false);
        var orphans = await RemoveOrphanedRunFoldersAsync(now - settings.OrphanGrace, cancellationToken).ConfigureAwait(false);
        var records = await deliveries.PurgeBeforeAsync(now - settings.WebhookDeliveries, cancellationToken).ConfigureAwait(false);
        Log.Purged(logger, log.Segments, log.Feedback, purged.PurgedInstanceCount, orphans.Count, records);
        return new RetentionResult(log.Segments, log.Feedback, purged.PurgedInstanceCount, orphans, records);
    }

    private async Task<IReadOnlyList<string>> RemoveOrphanedRunFoldersAsync(DateTimeOffset quietSince, CancellationToken cancellationToken)
    {
        var folders = await artifacts.ListRunFoldersAsync(cancellationToken).ConfigureAwait(false);
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
                || await durable.GetInstanceAsync(runId, cancellationToken).ConfigureAwait(false) is not null
                || await runStore.FindRowAsync(runId, projects: null, cancellationToken).ConfigureAwait(false) is not null)
            {
                continue;
            }

            await artifacts.DeleteRunFolderAsync(runId, items, cancellationToken).ConfigureAwait(false);
            removed.Add(ArtifactPaths.RunFolder(runId));
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
        [LoggerMessage(EventId = 6511, Level = LogLevel.Information, Message = "Housekeeping purged {Segments} prediction log segments, {Feedback} feedback rows, {Orchestrations} orchestrations, {Orphans} orphaned run folders and {Deliveries} webhook delivery records")]
        public static partial void Purged(ILogger logger, int segments, int feedback, int orchestrations, int orphans, int deliveries);
    }
}
