using Serverless.Storage;

namespace Serverless.Orchestrations.Training.RunSlots;

/// <summary>
/// At most one training run per project at a time: a run takes the project's slot (an ETag-guarded row) or
/// joins the project's queue; releasing the slot hands it to the oldest waiting run, which is then told by an
/// external event. Idempotent: taking a slot one already holds, or releasing one not held, changes nothing.
/// </summary>
public sealed class ProjectRunSlots(ITableStore tables, string table = "ProjectRunSlots")
{
    public const string SlotGrantedEvent = "run-slot-granted";
    private const string SlotRow = "slot";
    private const string WaitingPrefix = "waiting-";

    public Task InitializeAsync(CancellationToken cancellationToken = default) => tables.CreateTableIfNotExistsAsync(table, cancellationToken);

    /// <summary>Takes the slot when it is free (or already ours); otherwise queues the run.</summary>
    /// <returns><c>true</c> when <paramref name="runId"/> holds the slot.</returns>
    public async Task<bool> TryAcquireAsync(string project, string runId, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        for (var attempt = 0; attempt < 20; attempt++)
        {
            var slot = await tables.GetAsync(table, project, SlotRow, cancellationToken).ConfigureAwait(false);
            var holder = slot?.GetString("RunId");
            if (holder == runId)
            {
                return true;
            }

            try
            {
                if (string.IsNullOrEmpty(holder))
                {
                    var taken = new TableEntity(project, SlotRow, new Dictionary<string, object?> { ["RunId"] = runId, ["Since"] = now }) { ETag = slot?.ETag };
                    var operations = new List<TableOperation> { slot is null ? TableOperation.Add(taken) : TableOperation.Update(taken) };
                    var waiting = await FindWaitingAsync(project, runId, cancellationToken).ConfigureAwait(false);
                    if (waiting is not null)
                    {
                        operations.Add(TableOperation.Delete(waiting));
                    }

                    await tables.SubmitTransactionAsync(table, operations, cancellationToken).ConfigureAwait(false);
                    return true;
                }

                if (await FindWaitingAsync(project, runId, cancellationToken).ConfigureAwait(false) is null)
                {
                    await tables.AddAsync(table, new TableEntity(project, WaitingKey(now, runId), new Dictionary<string, object?> { ["RunId"] = runId }), cancellationToken).ConfigureAwait(false);
                }

                return false;
            }
            catch (StorageConflictException)
            {
                // The slot changed under us: look again.
            }
        }

        throw new StorageConflictException($"The run slot of project '{project}' kept changing.");
    }

    /// <summary>Frees the slot if <paramref name="runId"/> holds it and hands it to the oldest waiting run.</summary>
    /// <returns>The run that now holds the slot (to be told), or <c>null</c>.</returns>
    public async Task<string?> ReleaseAsync(string project, string runId, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        for (var attempt = 0; attempt < 20; attempt++)
        {
            var slot = await tables.GetAsync(table, project, SlotRow, cancellationToken).ConfigureAwait(false);
            if (slot is null || slot.GetString("RunId") != runId)
            {
                // Not ours (already released, or a queued run that gave up): just leave the queue.
                if (await FindWaitingAsync(project, runId, cancellationToken).ConfigureAwait(false) is { } waitingRow)
                {
                    await tables.DeleteAsync(table, project, waitingRow.RowKey, cancellationToken: cancellationToken).ConfigureAwait(false);
                }

                return null;
            }

            var next = await tables.QueryAsync(table, TableQuery.RowKeyPrefix(project, WaitingPrefix) with { Take = 1 }, cancellationToken).FirstOrDefaultAsync(cancellationToken).ConfigureAwait(false);
            var nextRun = next?.GetString("RunId");
            var operations = new List<TableOperation>
            {
                TableOperation.Update(slot.With(("RunId", nextRun ?? string.Empty), ("Since", now))),
            };
            if (next is not null)
            {
                operations.Add(TableOperation.Delete(next));
            }

            try
            {
                await tables.SubmitTransactionAsync(table, operations, cancellationToken).ConfigureAwait(false);
                return nextRun;
            }
            catch (StorageConflictException)
            {
            }
        }

        throw new StorageConflictException($"The run slot of project '{project}' kept changing.");
    }

    /// <summary>The run holding the project's slot, if any.</summary>
    public async Task<string?> GetHolderAsync(string project, CancellationToken cancellationToken = default)
    {
        var slot = await tables.GetAsync(table, project, SlotRow, cancellationToken).ConfigureAwait(false);
        return slot?.GetString("RunId") is { Length: > 0 } holder ? holder : null;
    }

    private async Task<TableEntity?> FindWaitingAsync(string project, string runId, CancellationToken cancellationToken)
    {
        await foreach (var row in tables.QueryAsync(table, TableQuery.RowKeyPrefix(project, WaitingPrefix), cancellationToken).ConfigureAwait(false))
        {
            if (row.GetString("RunId") == runId)
            {
                return row;
            }
        }

        return null;
    }

    private static string WaitingKey(DateTimeOffset now, string runId) =>
        WaitingPrefix + now.UtcTicks.ToString("D19", System.Globalization.CultureInfo.InvariantCulture) + "-" + runId;
}
