using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Serverless.Monitoring.Stores;
using Serverless.Orchestrations.Training;
using Serverless.Storage;
using Serverless.Monitoring;
using Serverless.Serving.PredictionLogging;

namespace Serverless.Orchestrations.Monitoring;

/// <summary>
/// Starts the training pipeline when monitoring finds drift or degradation and the project says <c>retrainOnDrift</c>,
/// on the latest valid dataset version plus the labelled feedback (<see cref="FeedbackDataset"/>), with the finding and
/// the dataset in the run's reason; the run starts through <see cref="TrainingRuns"/>. Never in a storm: a start claims
/// the project's cool-down row (ETag-guarded, so two hosts or two checks cannot both start), and the pipeline's run slot
/// lets one run per project train at a time.
/// </summary>
public sealed partial class RetrainTrigger(
    ITableStore tables,
    MonitoringStorageNames names,
    FeedbackDataset feedback,
    TrainingRuns runs,
    IOptions<MonitoringLoopOptions> options,
    TimeProvider time,
    ILogger<RetrainTrigger> logger)
{
    private const string Partition = "retrain";

    /// <summary>The name runs started by monitoring give as <see cref="TrainingRunRequest.RequestedBy"/>.</summary>
    public const string RequestedBy = "monitoring";

    /// <summary>Starts a run with the request's trigger and reason, unless the project is cooling down or has no data.</summary>
    public async Task<RetrainDecision> TryStartAsync(RetrainRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var project = request.Project;
        await tables.CreateTableIfNotExistsAsync(names.RetrainsTable, cancellationToken).ConfigureAwait(false);
        var now = time.GetUtcNow();
        var last = await tables.GetAsync(names.RetrainsTable, Partition, project, cancellationToken).ConfigureAwait(false);
        if (last?.GetDateTimeOffset("StartedAt") is { } startedAt && now - startedAt < options.Value.RetrainCoolDown)
        {
            var waiting = $"cooling down: run '{last.GetString("RunId")}' started at {startedAt:O}, next retrain after {startedAt + options.Value.RetrainCoolDown:O}";
            Log.Skipped(logger, project, waiting);
            return new RetrainDecision(false, null, waiting);
        }

        var dataset = await feedback.BuildAsync(project, request.Monitored, cancellationToken).ConfigureAwait(false);
        if (dataset.TrainOn is not { } trainOn)
        {
            Log.Skipped(logger, project, dataset.Summary);
            return new RetrainDecision(false, null, dataset.Summary);
        }

        var reason = $"{request.Reason.TrimEnd()} ({dataset.Summary})";
        var run = new TrainingRunRequest
        {
            Project = project,
            DatasetVersion = trainOn.Version,
            Trigger = request.Trigger,
            RequestedBy = RequestedBy,
            Reason = reason,
            CorrelationId = request.CorrelationId,
        };
        var runId = TrainingRunIds.For(run, now);
        var claim = new TableEntity(Partition, project, new Dictionary<string, object?> { ["StartedAt"] = now, ["RunId"] = runId, ["Reason"] = reason }) { ETag = last?.ETag };
        try
        {
            if (last is null)
            {
                await tables.AddAsync(names.RetrainsTable, claim, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                await tables.UpdateAsync(names.RetrainsTable, claim, cancellationToken: cancellationToken).ConfigureAwait(false);
            }
        }
        catch (StorageConflictException)
        {
            return new RetrainDecision(false, null, "another check started a retrain at the same time");
        }

        var started = await runs.StartAsync(run, now, cancellationToken).ConfigureAwait(false);
        if (!started.Started)
        {
            Log.Skipped(logger, project, started.Message);
            return new RetrainDecision(false, started.RunId, started.Message, trainOn.Version);
        }

        Log.Started(logger, project, runId, reason);
        return new RetrainDecision(true, runId, reason, trainOn.Version);
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 6541, Level = LogLevel.Information, Message = "Monitoring started retraining run {RunId} of project {Project}: {Reason}")]
        public static partial void Started(ILogger logger, string project, string runId, string reason);

        [LoggerMessage(EventId = 6542, Level = LogLevel.Information, Message = "Monitoring did not retrain project {Project}: {Reason}")]
        public static partial void Skipped(ILogger logger, string project, string reason);
    }
}
