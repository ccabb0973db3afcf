using System.Runtime.CompilerServices;
using DurableTask.Core.Exceptions;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Logging;
using Serverless.Orchestrations.Artifacts;
using Serverless.Registry;

namespace Serverless.Orchestrations.Training;

/// <summary>
/// The one owner of training runs: every start (an upload, a manual or scheduled run, a retrain monitoring asks for)
/// with its run id and its dedupe, reading one run or a list for a caller who may see only some projects, the manual
/// promotion decision, and reading finished runs for their announcements. Runs are durable instances of
/// <see cref="TrainingPipeline"/> whose ids are <see cref="TrainingRunIds"/>.
/// </summary>
public sealed partial class TrainingRuns(DurableTaskClient durable, DatasetCatalog datasets, ArtifactStore artifacts, TimeProvider time, ILogger<TrainingRuns> logger)
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
        if (await durable.GetInstanceAsync(runId, cancellationToken).ConfigureAwait(false) is not null)
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

        var run = await FindAsync(runId, withReport: true, cancellationToken).ConfigureAwait(false);
        return run is not null && visibility.Includes(run.Project) ? RunLookup.Found(run) : RunLookup.Missing;
    }

    /// <summary>The runs <paramref name="query"/> selects, newest first, without their reports.</summary>
    public async Task<IReadOnlyList<RunView>> ListAsync(RunQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        var runs = new Dictionary<string, RunView>(StringComparer.Ordinal);
        foreach (var prefix in query.IdPrefixes())
        {
            var instances = durable.GetAllInstancesAsync(new OrchestrationQuery { InstanceIdPrefix = prefix, FetchInputsAndOutputs = true, PageSize = PageSize });
            await foreach (var instance in instances.WithCancellation(cancellationToken).ConfigureAwait(false))
            {
                var run = RunView.From(instance);
                if (query.Includes(run))
                {
                    runs[run.Id] = run with { Report = null };
                }
            }
        }

        return [.. runs.Values.OrderByDescending(r => r.CreatedAt)];
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
