using System.Runtime.CompilerServices;
using DurableTask.Core.Exceptions;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Logging;
using Serverless.Orchestrations.Artifacts;
using Serverless.Orchestrations.Training.Records;
using Serverless.Registry;

namespace Serverless.Orchestrations.Training;

/// <summary>
/// The one owner of training runs: every start (an upload, a manual or scheduled run, a retrain monitoring asks for)
/// with its run id and its dedupe, reading one run or a list for a caller who may see only some projects, the manual
/// promotion decision, and reading finished runs for their announcements. Runs are durable instances of
/// <see cref="TrainingPipeline"/> whose ids are <see cref="TrainingRunIds"/>, recorded in the <see cref="RunStore"/> as they
/// progress: reads, searches, annotations, reruns and deletions go to the store, which outlives the instances.
/// </summary>
public sealed partial class TrainingRuns(DurableTaskClient durable, DatasetCatalog datasets, ArtifactStore artifacts, RunStore store, ModelRegistry registry, TimeProvider time, ILogger<TrainingRuns> logger)
{
    private const int PageSize = 100;

    /// <summary>
    /// Starts the run <paramref name="request"/> asks for, under <see cref="TrainingRunIds.For"/>: never a second one
    /// with the same id, while it is pending, running or suspended nor once it is on record.
    /// </summary>
    /// <param name="at">When it was asked for (a schedule's occurrence): part of the id of a run on a dataset version.</param>
    /// <remarks>A request without a correlation id is correlated by its run id.</remarks>
    public async Task<RunStart> StartAsync(TrainingRunRequest request, DateTimeOffset at, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var runId = TrainingRunIds.For(request, at);
        if (await durable.GetInstanceAsync(runId, cancellationToken).ConfigureAwait(false) is not null
            || await store.FindRowAsync(runId, new HashSet<string>(StringComparer.Ordinal) { request.Project }, cancellationToken).ConfigureAwait(false) is not null)
        {
            return AlreadyExists(runId);
        }

        try
        {
            await durable.ScheduleNewOrchestrationInstanceAsync(
                TrainingPipeline.Name,
                request.CorrelationId is null ? request with { CorrelationId = runId } : request,
                SingleInstance.Options(runId),
                cancellationToken).ConfigureAwait(false);
        }
        catch (OrchestrationAlreadyExistsException)
        {
            return AlreadyExists(runId);
        }

        await store.RecordStartAsync(runId, request, cancellationToken).ConfigureAwait(false);
        var reason = request.ReasonOrDefault() ?? request.Trigger;
        Log.Started(logger, runId, request.Project, request.Trigger, reason, request.CorrelationId ?? runId);
        return new RunStart(RunStartStatus.Started, runId, $"Run {runId} started: {reason}.");
    }

    /// <summary>A run on an uploaded dataset file; its id derives from the content, so the same content trains once.</summary>
    public Task<RunStart> StartUploadAsync(string project, DatasetSource source, string? correlationId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(source);
        return StartAsync(new TrainingRunRequest
        {
            Project = project,
            Source = source,
            Trigger = RunTriggers.Upload,
            RequestedBy = "upload",
            CorrelationId = correlationId,
        }, time.GetUtcNow(), cancellationToken);
    }

    /// <summary>A run asked for by <paramref name="actor"/> on dataset version <paramref name="datasetVersion"/>, or the latest valid one.</summary>
    public async Task<RunStart> StartManualAsync(string project, int? datasetVersion, string actor, string? correlationId, CancellationToken cancellationToken)
    {
        DatasetVersion? version;
        try
        {
            version = datasetVersion is int number
                ? await datasets.GetAsync(project, number, cancellationToken).ConfigureAwait(false)
                : await datasets.GetLatestValidAsync(project, cancellationToken).ConfigureAwait(false);
        }
        catch (RegistryNotFoundException e)
        {
            return new RunStart(RunStartStatus.NoDataset, null, e.Message);
        }

        if (version is null)
        {
            return NoValidVersion(project);
        }

        return await StartAsync(new TrainingRunRequest
        {
            Project = project,
            DatasetVersion = version.Version,
            Trigger = RunTriggers.Manual,
            RequestedBy = actor,
            Reason = $"manual by {actor} on dataset version {version.Version}",
            CorrelationId = correlationId,
        }, time.GetUtcNow(), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// The run of one occurrence of the project's <paramref name="schedule"/>, on the latest valid dataset version; its id
    /// derives from the occurrence, so a repeated callback starts it once.
    /// </summary>
    public async Task<RunStart> StartScheduledAsync(string project, string? schedule, DateTimeOffset occurrence, CancellationToken cancellationToken)
    {
        var version = await datasets.GetLatestValidAsync(project, cancellationToken).ConfigureAwait(false);
        if (version is null)
        {
            return NoValidVersion(project);
        }

        return await StartAsync(new TrainingRunRequest
        {
            Project = project,
            DatasetVersion = version.Version,
            Trigger = RunTriggers.Schedule,
            RequestedBy = "schedule",
            Reason = $"schedule '{schedule}' occurrence {occurrence:O} on the latest valid dataset version {version.Version}",
        }, occurrence, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>One run as <paramref name="visibility"/> allows: a run of another project is never found.</summary>
    public async Task<RunLookup> GetAsync(string runId, RunVisibility visibility, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(runId);
        ArgumentNullException.ThrowIfNull(visibility);
        if (!TrainingRunIds.IsRunId(runId))
        {
            return RunLookup.Missing;
        }

        if (!visibility.CouldInclude(runId))
        {
            return RunLookup.OutOfScope;
        }

        var run = await store.GetAsync(runId, visibility.Projects, cancellationToken).ConfigureAwait(false);
        if (run is not null)
        {
            return RunLookup.Found(await WithInstanceStatusAsync(run, cancellationToken).ConfigureAwait(false));
        }

        // A run started before the run store existed is known only by its durable instance.
        run = await FindAsync(runId, withReport: true, cancellationToken).ConfigureAwait(false);
        return run is not null && visibility.Includes(run.Project) ? RunLookup.Found(run) : RunLookup.Missing;
    }

    /// <summary>
    /// One page of the runs <paramref name="query"/> selects from the run store, without their reports, and the
    /// continuation token of the next page (null on the last).
    /// </summary>
    /// <exception cref="RunQueryException">A search parameter is malformed.</exception>
    public async Task<RunPage> ListAsync(RunQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        query.Validate();
        var runs = new List<RunView>();
        var projects = query.Projects();
        if (projects is not { Count: 0 })
        {
            await foreach (var row in store.QueryAsync(projects, filter: null, cancellationToken).ConfigureAwait(false))
            {
                var run = await WithInstanceStatusAsync(RunRecordReader.Summary(row), cancellationToken).ConfigureAwait(false);
                if (query.Includes(run))
                {
                    runs.Add(run);
                }
            }
        }

        var offset = query.Offset();
        var page = query.Order(runs).Skip(offset).Take(query.Top).ToList();
        var next = offset + page.Count < runs.Count ? (offset + page.Count).ToString(System.Globalization.CultureInfo.InvariantCulture) : null;
        return new RunPage(page, next);
    }

    /// <summary>The recorded runs of <paramref name="project"/> that trained on the dataset content <paramref name="contentHash"/>, newest first.</summary>
    public async Task<IReadOnlyList<RunView>> ListTrainedOnAsync(string project, string contentHash, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(contentHash);
        var runs = new List<RunView>();
        var filter = $"DatasetHash eq {Storage.TableQuery.Quote(contentHash)}";
        await foreach (var row in store.QueryAsync([project], filter, cancellationToken).ConfigureAwait(false))
        {
            runs.Add(await WithInstanceStatusAsync(RunRecordReader.Summary(row), cancellationToken).ConfigureAwait(false));
        }

        return [.. runs.OrderByDescending(r => r.CreatedAt).ThenBy(r => r.Id, StringComparer.Ordinal)];
    }

    /// <summary>
    /// Deletes a finished run's record (and its durable instance, if still kept), unless a registered model version's
    /// lineage names it. The only way a recorded run goes.
    /// </summary>
    public async Task<RunDeletion> DeleteAsync(string runId, RunVisibility visibility, CancellationToken cancellationToken)
    {
        var lookup = await GetAsync(runId, visibility, cancellationToken).ConfigureAwait(false);
        if (lookup.Run is not { } run)
        {
            return new RunDeletion(RunDeletionStatus.NotFound, lookup, $"There is no training run '{runId}'.");
        }

        if (!run.IsFinished)
        {
            return new RunDeletion(RunDeletionStatus.Running, lookup, $"Run '{runId}' is {run.Status}; it can be deleted once it has ended.");
        }

        foreach (var model in await registry.ListModelsAsync(cancellationToken).ConfigureAwait(false))
        {
            foreach (var version in await registry.ListVersionsAsync(model.Name, cancellationToken).ConfigureAwait(false))
            {
                if (version.Lineage.RunId == runId)
                {
                    return new RunDeletion(RunDeletionStatus.Referenced, lookup, $"Run '{runId}' cannot be deleted: the lineage of model '{model.Name}' version {version.Version} names it.");
                }
            }
        }

        if (await store.FindRowAsync(runId, visibility.Projects, cancellationToken).ConfigureAwait(false) is { } row)
        {
            await store.DeleteAsync(row, cancellationToken).ConfigureAwait(false);
        }

        if (await durable.GetInstanceAsync(runId, cancellationToken).ConfigureAwait(false) is { IsCompleted: true })
        {
            await durable.PurgeInstanceAsync(runId, cancellationToken).ConfigureAwait(false);
        }

        return new RunDeletion(RunDeletionStatus.Deleted, lookup, $"Run '{runId}' deleted.");
    }

    /// <summary>Sets a recorded run's tags and description (<paramref name="actor"/> is logged); null when there is no such run.</summary>
    /// <exception cref="AnnotationException">A tag or the description cannot be kept.</exception>
    public async Task<RunView?> AnnotateAsync(string runId, Annotation annotation, string actor, RunVisibility visibility, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(visibility);
        if (await store.AnnotateAsync(runId, visibility.Projects, annotation, actor, cancellationToken).ConfigureAwait(false) is not { } row)
        {
            return null;
        }

        Log.Annotated(logger, runId, actor, string.Join(", ", annotation.Tags?.Keys ?? []), annotation.Description is not null);
        return RunRecordReader.Summary(row);
    }

    /// <summary>
    /// Starts a new run on the dataset version of run <paramref name="runId"/> with its spec snapshot; the new run's
    /// <see cref="RunView.RerunOf"/> names it.
    /// </summary>
    public async Task<(RunLookup Lookup, RunStart? Start)> RerunAsync(string runId, string actor, string? correlationId, RunVisibility visibility, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(visibility);
        var lookup = await GetAsync(runId, visibility, cancellationToken).ConfigureAwait(false);
        if (lookup.Run is not { } run)
        {
            return (lookup, null);
        }

        var row = await store.FindRowAsync(runId, visibility.Projects, cancellationToken).ConfigureAwait(false);
        var spec = row is null ? null : await store.ReadSpecAsync(row, cancellationToken).ConfigureAwait(false);
        if (run.DatasetVersion is not int version || spec is null)
        {
            return (lookup, new RunStart(RunStartStatus.NoDataset, null, $"Run '{runId}' recorded no dataset version or spec snapshot (it ended before ingesting, or ran before the run store); it cannot be rerun."));
        }

        var start = await StartAsync(new TrainingRunRequest
        {
            Project = run.Project!,
            DatasetVersion = version,
            Trigger = RunTriggers.Rerun,
            RequestedBy = actor,
            Reason = $"rerun of {runId} by {actor} on dataset version {version} with its spec snapshot",
            RerunOf = runId,
            SpecJson = spec,
            CorrelationId = correlationId,
        }, time.GetUtcNow(), cancellationToken).ConfigureAwait(false);
        return (lookup, start);
    }

    /// <summary>The runs <paramref name="runIds"/> side by side (each must be visible), with their spec snapshots' differences.</summary>
    /// <returns>The comparison, or the lookup of the first run not found.</returns>
    public async Task<(RunComparison? Comparison, RunLookup? Missing, string? MissingId)> CompareAsync(IReadOnlyList<string> runIds, RunVisibility visibility, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(runIds);
        ArgumentNullException.ThrowIfNull(visibility);
        var runs = new List<(RunView Run, string? Spec)>();
        foreach (var id in runIds)
        {
            var lookup = await GetAsync(id, visibility, cancellationToken).ConfigureAwait(false);
            if (lookup.Run is not { } run)
            {
                return (null, lookup, id);
            }

            var row = await store.FindRowAsync(id, visibility.Projects, cancellationToken).ConfigureAwait(false);
            runs.Add((run, row is null ? null : await store.ReadSpecAsync(row, cancellationToken).ConfigureAwait(false)));
        }

        return (RunComparison.Of(runs), null, null);
    }

    /// <summary>
    /// Sends the manual promotion decision to a run awaiting it, if <paramref name="visibility"/> allows the run;
    /// any other run is left as it is.
    /// </summary>
    public async Task<RunApproval> DecideAsync(string runId, ApprovalDecision decision, RunVisibility visibility, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(decision);
        var lookup = await GetAsync(runId, visibility, cancellationToken).ConfigureAwait(false);
        if (lookup.Run is not { Status: RunOutcomes.AwaitingApproval } run)
        {
            return new RunApproval(lookup, Raised: false);
        }

        await durable.RaiseEventAsync(run.Id, TrainingEvents.Approval, decision, cancellationToken).ConfigureAwait(false);
        Log.Decided(logger, run.Id, decision.Approved ? "approved" : "rejected", decision.By);
        return new RunApproval(lookup, Raised: true);
    }

    /// <summary>Any run by id (no caller's scope: for the host's own readers); with its report, or only id, status and times.</summary>
    public async Task<RunView?> FindAsync(string runId, bool withReport, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(runId);
        if (!TrainingRunIds.IsRunId(runId))
        {
            return null;
        }

        var instance = await durable.GetInstanceAsync(runId, withReport, cancellationToken).ConfigureAwait(false);
        return instance is null ? null : RunView.From(instance);
    }

    /// <summary>Every run created since <paramref name="from"/>, with only its id, status and times (the cheap read of a poll).</summary>
    public async IAsyncEnumerable<RunView> ListCreatedSinceAsync(DateTimeOffset from, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var query = new OrchestrationQuery { InstanceIdPrefix = TrainingRunIds.AnyPrefix, CreatedFrom = from, PageSize = PageSize };
        await foreach (var instance in durable.GetAllInstancesAsync(query).WithCancellation(cancellationToken).ConfigureAwait(false))
        {
            yield return RunView.From(instance);
        }
    }

    /// <summary>
    /// A recorded run that has not finished, as its durable instance now stands: one terminated, failed outside a step, or
    /// purged while it ran never wrote its end.
    /// </summary>
    private async Task<RunView> WithInstanceStatusAsync(RunView run, CancellationToken cancellationToken)
    {
        if (run.IsFinished)
        {
            return run;
        }

        var instance = await durable.GetInstanceAsync(run.Id, getInputsAndOutputs: false, cancellationToken).ConfigureAwait(false);
        return instance?.RuntimeStatus switch
        {
            OrchestrationRuntimeStatus.Terminated => run with { Status = "Terminated", RuntimeStatus = "Terminated", IsFinished = true },
            OrchestrationRuntimeStatus.Failed => run with { Status = RunOutcomes.Failed, RuntimeStatus = "Failed", IsFinished = true, FailureReason = run.FailureReason ?? instance.FailureDetails?.ErrorMessage },
            OrchestrationRuntimeStatus.Suspended => run with { Status = "Suspended", RuntimeStatus = "Suspended" },
            _ => run,
        };
    }

    private RunStart AlreadyExists(string runId)
    {
        Log.AlreadyExists(logger, runId);
        return new RunStart(RunStartStatus.AlreadyExists, runId, $"Run {runId} is already pending, running or on record.");
    }

    private RunStart NoValidVersion(string project)
    {
        Log.NothingToTrain(logger, project);
        return new RunStart(RunStartStatus.NoDataset, null, $"Project '{project}' has no valid dataset version yet: upload a file to datasets/{project}/.");
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 5101, Level = LogLevel.Information, Message = "Started training run {RunId} of {Project} ({Trigger}): {Reason} (correlation {CorrelationId})")]
        public static partial void Started(ILogger logger, string runId, string project, string trigger, string reason, string correlationId);

        [LoggerMessage(EventId = 5102, Level = LogLevel.Information, Message = "Training run {RunId} is already pending, running or on record; not starting it again")]
        public static partial void AlreadyExists(ILogger logger, string runId);

        [LoggerMessage(EventId = 5103, Level = LogLevel.Information, Message = "Project {Project}: no run started, no valid dataset version yet")]
        public static partial void NothingToTrain(ILogger logger, string project);

        [LoggerMessage(EventId = 5105, Level = LogLevel.Information, Message = "Training run {RunId} annotated by {Actor}: tags {Tags}, description changed {Described}")]
        public static partial void Annotated(ILogger logger, string runId, string actor, string tags, bool described);

        [LoggerMessage(EventId = 5104, Level = LogLevel.Information, Message = "Training run {RunId} {Decision} by {By}")]
        public static partial void Decided(ILogger logger, string runId, string decision, string by);
    }

    /// <summary>The validation report of the run's dataset version (JSON), or <c>null</c> when the run has none yet.</summary>
    public async Task<string?> ReadValidationReportAsync(RunView run, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(run);
        return run.Report?.Dataset?.ReportPath is { } path
            ? await artifacts.TryReadTextAsync(path, cancellationToken).ConfigureAwait(false)
            : null;
    }
}
