using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Logging;
using Serverless.Registry;
using Serverless.Storage;

namespace Serverless.Orchestrations.Training.Records;

/// <summary>
/// The one owner of run records: each run, its steps, candidates, evaluation and gate verdicts, and the exact spec it used,
/// written as the run progresses (by <see cref="Activities.RecordRun"/>) and kept until <see cref="DeleteAsync"/>, whatever
/// happens to the run's durable instance. Table storage keeps the searchable index (<see cref="RunStoreNames.Runs"/>,
/// partition = project, so a project is matched exactly) and the per-run rows (<see cref="RunStoreNames.RunRecords"/>,
/// partition = run id); Blob storage the large documents.
/// </summary>
public sealed partial class RunStore(ITableStore tables, IBlobStore blobs, RunStoreNames names, TimeProvider time, ILogger<RunStore> logger)
{
    private const int TransactionLimit = 100;
    private readonly Lazy<Task> _ready = new(() => CreateAsync(tables, blobs, names));

    /// <summary>Records a run the moment it is started (status <c>Pending</c>), unless it is already on record.</summary>
    public async Task RecordStartAsync(string runId, TrainingRunRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        await EnsureAsync().ConfigureAwait(false);
        var now = time.GetUtcNow();
        var row = Clean(new TableEntity(request.Project, runId, new Dictionary<string, object?>
        {
            ["Status"] = "Pending",
            ["RuntimeStatus"] = "Pending",
            ["Trigger"] = request.Trigger,
            ["RequestedBy"] = request.RequestedBy,
            ["Reason"] = request.ReasonOrDefault(),
            ["CorrelationId"] = request.CorrelationId ?? runId,
            ["RerunOf"] = request.RerunOf,
            ["CreatedAt"] = now,
            ["LastUpdatedAt"] = now,
            ["Sequence"] = 0,
        }));
        try
        {
            await tables.AddAsync(names.Runs, row, cancellationToken).ConfigureAwait(false);
        }
        catch (StorageConflictException)
        {
            // Already on record (the orchestrator wrote first, or this start was repeated).
        }
    }

    /// <summary>
    /// Writes <paramref name="update"/> unless the record holds a newer write of the same execution. Idempotent: a
    /// repeated write changes nothing. A new execution of the run id (its instance was purged and the run started again)
    /// takes the record over from its first write.
    /// </summary>
    /// <returns>Whether the update was written.</returns>
    public async Task<bool> RecordAsync(RunRecordUpdate update, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(update);
        await EnsureAsync().ConfigureAwait(false);
        var report = update.Report;
        for (var attempt = 0; ; attempt++)
        {
            var current = await tables.GetAsync(names.Runs, report.Project, report.RunId, cancellationToken).ConfigureAwait(false);
            var sameExecution = current?.GetString("ExecutionId") == update.ExecutionId;
            if (current is not null && current.GetString("ExecutionId") is not null
                && (sameExecution ? current.GetInt32("Sequence") >= update.Sequence : update.Sequence != 1))
            {
                Log.Stale(logger, report.RunId, update.Sequence);
                return false;
            }

            var row = await WriteDocumentsAsync(update, current, sameExecution, cancellationToken).ConfigureAwait(false);
            await WriteChildrenAsync(report.RunId, row, report, replace: current is not null && !sameExecution, cancellationToken).ConfigureAwait(false);
            try
            {
                if (current is null)
                {
                    await tables.AddAsync(names.Runs, row, cancellationToken).ConfigureAwait(false);
                }
                else
                {
                    await tables.UpdateAsync(names.Runs, row with { ETag = current.ETag }, merge: false, cancellationToken).ConfigureAwait(false);
                }

                return true;
            }
            catch (StorageConflictException) when (attempt < 3)
            {
                // Another write landed meanwhile: decide again on what it left.
            }
        }
    }

    /// <summary>The run with id <paramref name="runId"/> among <paramref name="projects"/> (null: any project), or null.</summary>
    public async Task<RunView?> GetAsync(string runId, IReadOnlySet<string>? projects, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(runId);
        if (await FindRowAsync(runId, projects, cancellationToken).ConfigureAwait(false) is not { } row)
        {
            return null;
        }

        var children = new List<TableEntity>();
        await foreach (var child in tables.QueryAsync(names.RunRecords, TableQuery.Partition(runId), cancellationToken).ConfigureAwait(false))
        {
            children.Add(child);
        }

        return await RunRecordReader.ReadAsync(row, children, path => blobs.TryDownloadTextAsync(names.Container, path, cancellationToken)).ConfigureAwait(false);
    }

    /// <summary>The index row of run <paramref name="runId"/> (a few point reads: each project its id could belong to).</summary>
    public async Task<TableEntity?> FindRowAsync(string runId, IReadOnlySet<string>? projects, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(runId);
        await EnsureAsync().ConfigureAwait(false);
        foreach (var project in ProjectsOf(runId).Where(p => projects is null || projects.Contains(p)))
        {
            if (await tables.GetAsync(names.Runs, project, runId, cancellationToken).ConfigureAwait(false) is { } row)
            {
                return row;
            }
        }

        return null;
    }

    /// <summary>The exact spec run <paramref name="runId"/> used, or null when it has none recorded.</summary>
    public async Task<string?> ReadSpecAsync(TableEntity row, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(row);
        return row.GetString("SpecPath") is { } path ? await blobs.TryDownloadTextAsync(names.Container, path, cancellationToken).ConfigureAwait(false) : null;
    }

    /// <summary>The index rows of <paramref name="projects"/> (null: every project) that the table filter keeps.</summary>
    public async IAsyncEnumerable<TableEntity> QueryAsync(IReadOnlyList<string>? projects, string? filter, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await EnsureAsync().ConfigureAwait(false);
        var queries = projects is null
            ? [new TableQuery { Filter = filter }]
            : projects.Select(p => TableQuery.Partition(p) with { Filter = filter }).ToList();
        foreach (var query in queries)
        {
            await foreach (var row in tables.QueryAsync(names.Runs, query, cancellationToken).ConfigureAwait(false))
            {
                yield return row;
            }
        }
    }

    /// <summary>Sets tags and the description of a run (the index row; its ETag guards against a concurrent write).</summary>
    /// <returns>The row as written, or null when there is no such run.</returns>
    public async Task<TableEntity?> AnnotateAsync(string runId, IReadOnlySet<string>? projects, Annotation annotation, string actor, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(annotation);
        annotation.Validate();
        for (var attempt = 0; ; attempt++)
        {
            if (await FindRowAsync(runId, projects, cancellationToken).ConfigureAwait(false) is not { } row)
            {
                return null;
            }

            var tags = annotation.Apply(RunRecordReader.Tags(row));
            var changed = row.With(("Tags", RunRows.Json(tags)), ("Description", annotation.Description ?? row.GetString("Description")), ("AnnotatedBy", actor), ("AnnotatedAt", time.GetUtcNow()));
            try
            {
                await tables.UpdateAsync(names.Runs, changed, merge: false, cancellationToken).ConfigureAwait(false);
                return changed;
            }
            catch (StorageConflictException) when (attempt < 5)
            {
                // The run wrote a step meanwhile: annotate what it wrote.
            }
        }
    }

    /// <summary>Removes run <paramref name="runId"/>'s record: its rows and documents.</summary>
    public async Task DeleteAsync(TableEntity row, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(row);
        var runId = row.RowKey;
        var children = new List<TableOperation>();
        await foreach (var child in tables.QueryAsync(names.RunRecords, TableQuery.Partition(runId), cancellationToken).ConfigureAwait(false))
        {
            children.Add(TableOperation.Delete(child));
        }

        foreach (var batch in children.Chunk(TransactionLimit))
        {
            await tables.SubmitTransactionAsync(names.RunRecords, batch, cancellationToken).ConfigureAwait(false);
        }

        await foreach (var blob in blobs.ListAsync(names.Container, $"{names.BlobFolder}/{runId}/", cancellationToken).ConfigureAwait(false))
        {
            await blobs.DeleteIfExistsAsync(names.Container, blob.Name, cancellationToken: cancellationToken).ConfigureAwait(false);
        }

        await tables.DeleteAsync(names.Runs, row.PartitionKey, runId, cancellationToken: cancellationToken).ConfigureAwait(false);
        Log.Deleted(logger, runId, row.PartitionKey);
    }

    /// <summary>The projects a run id could belong to: <c>train-wine-red-v3-...</c> is a run of <c>wine</c>, <c>wine-red</c>, <c>wine-red-v3</c>, ...</summary>
    public static IEnumerable<string> ProjectsOf(string runId)
    {
        if (!TrainingRunIds.IsRunId(runId))
        {
            yield break;
        }

        var rest = runId[TrainingRunIds.AnyPrefix.Length..];
        for (var dash = rest.IndexOf('-', StringComparison.Ordinal); dash > 0; dash = rest.IndexOf('-', dash + 1))
        {
            var project = rest[..dash];
            if (StorageNames.IsValidResourceName(project))
            {
                yield return project;
            }
        }
    }

    public static string Hash(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));

    private Task EnsureAsync() => _ready.Value;

    private static async Task CreateAsync(ITableStore tables, IBlobStore blobs, RunStoreNames names)
    {
        await tables.CreateTableIfNotExistsAsync(names.Runs).ConfigureAwait(false);
        await tables.CreateTableIfNotExistsAsync(names.RunRecords).ConfigureAwait(false);
        await blobs.CreateContainerIfNotExistsAsync(names.Container).ConfigureAwait(false);
    }

    /// <summary>Writes the large documents this update brings and returns the index row to write.</summary>
    private async Task<TableEntity> WriteDocumentsAsync(RunRecordUpdate update, TableEntity? current, bool sameExecution, CancellationToken cancellationToken)
    {
        var report = update.Report;
        var keep = sameExecution ? current : null;
        string? specPath = keep?.GetString("SpecPath");
        string? specHash = keep?.GetString("SpecHash");
        if (update.SpecJson is { } spec)
        {
            specPath = names.Document(report.RunId, "spec");
            specHash = Hash(spec);
            await blobs.UploadTextAsync(names.Container, specPath, spec, new BlobWriteOptions { ContentType = "application/json" }, cancellationToken).ConfigureAwait(false);
        }

        string? datasetPath = keep?.GetString("DatasetPath");
        if (report.Dataset is { } dataset && datasetPath is null)
        {
            datasetPath = names.Document(report.RunId, "dataset");
            await blobs.UploadTextAsync(names.Container, datasetPath, RunRows.Json(dataset), new BlobWriteOptions { ContentType = "application/json" }, cancellationToken).ConfigureAwait(false);
        }

        string? evaluationPath = keep?.GetString("EvaluationPath");
        if (report.Evaluation is { } evaluation && evaluationPath is null)
        {
            evaluationPath = names.Document(report.RunId, "evaluation");
            await blobs.UploadTextAsync(names.Container, evaluationPath, RunRows.Json(evaluation), new BlobWriteOptions { ContentType = "application/json" }, cancellationToken).ConfigureAwait(false);
        }

        var now = time.GetUtcNow();
        var finished = RunRows.IsFinished(report.Outcome);
        return Clean(new TableEntity(report.Project, report.RunId, new Dictionary<string, object?>
        {
            ["Status"] = report.Outcome,
            ["RuntimeStatus"] = update.RuntimeStatus,
            ["Trigger"] = report.Trigger,
            ["RequestedBy"] = report.RequestedBy,
            ["Reason"] = report.Reason,
            ["CorrelationId"] = report.CorrelationId,
            ["RerunOf"] = report.RerunOf ?? current?.GetString("RerunOf"),
            ["CreatedAt"] = current?.GetDateTimeOffset("CreatedAt") ?? (report.Steps.Count > 0 ? new DateTimeOffset(DateTime.SpecifyKind(report.Steps[0].StartedAt, DateTimeKind.Utc)) : now),
            ["LastUpdatedAt"] = now,
            ["EndedAt"] = finished ? keep?.GetDateTimeOffset("EndedAt") ?? now : null,
            ["DatasetVersion"] = report.Dataset?.Version,
            ["DatasetHash"] = report.Dataset?.ContentHash,
            ["DatasetPath"] = datasetPath,
            ["SpecPath"] = specPath,
            ["SpecHash"] = specHash,
            ["CodeVersion"] = keep?.GetString("CodeVersion") ?? ModelCard.CodeVersion,
            ["ModelVersion"] = report.ModelVersion,
            ["Promotion"] = report.Promotion,
            ["FailureReason"] = report.FailureReason,
            ["EvaluationPath"] = evaluationPath,
            ["Metrics"] = RunRows.Json(RunRows.Metrics(report)),
            ["CandidateCount"] = report.Candidates.Count,
            ["Tags"] = current?.GetString("Tags"),
            ["Description"] = current?.GetString("Description"),
            ["ExecutionId"] = update.ExecutionId,
            ["Sequence"] = update.Sequence,
        }));
    }

    /// <summary>Upserts the run's step, candidate and evaluation rows (and, for a new execution, removes the old ones it no longer has).</summary>
    private async Task WriteChildrenAsync(string runId, TableEntity row, RunReport report, bool replace, CancellationToken cancellationToken)
    {
        var rows = RunRows.Children(runId, report, row.GetString("EvaluationPath"));
        var operations = rows.Select(r => TableOperation.Upsert(Clean(r))).ToList();
        if (replace)
        {
            var keys = rows.Select(r => r.RowKey).ToHashSet(StringComparer.Ordinal);
            await foreach (var old in tables.QueryAsync(names.RunRecords, TableQuery.Partition(runId), cancellationToken).ConfigureAwait(false))
            {
                if (!keys.Contains(old.RowKey))
                {
                    operations.Add(TableOperation.Delete(old));
                }
            }
        }

        foreach (var batch in operations.Chunk(TransactionLimit))
        {
            await tables.SubmitTransactionAsync(names.RunRecords, batch, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Table storage keeps no null properties.</summary>
    private static TableEntity Clean(TableEntity row) =>
        row with { Properties = row.Properties.Where(p => p.Value is not null).ToDictionary(p => p.Key, p => p.Value) };

    private static partial class Log
    {
        [LoggerMessage(EventId = 5111, Level = LogLevel.Debug, Message = "Run {RunId}: write {Sequence} is older than the record; not written")]
        public static partial void Stale(ILogger logger, string runId, int sequence);

        [LoggerMessage(EventId = 5112, Level = LogLevel.Information, Message = "Run {RunId} of {Project} deleted from the run store")]
        public static partial void Deleted(ILogger logger, string runId, string project);
    }
}
