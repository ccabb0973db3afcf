using Serverless.Storage;

namespace Serverless.Registry;

/// <summary>
/// The durable outbox of alias changes. <see cref="ModelRegistry"/> adds one outbox row per alias change (set, move,
/// roll back, removal) in the same table transaction as the alias row and its audit entry, so a change is never made
/// without its event, whatever crashes afterwards. A dispatcher reads <see cref="ListPendingAsync"/>, announces each
/// change, then calls <see cref="CompleteAsync"/>; a change stays pending until then.
/// </summary>
public sealed class ModelAliasOutbox(ITableStore tables, RegistryTables? names = null)
{
    private readonly RegistryTables _names = names ?? RegistryTables.Default;

    /// <summary>Pending alias changes of every model, oldest first within a model, at most <paramref name="take"/>.</summary>
    public async Task<IReadOnlyList<PendingAliasChange>> ListPendingAsync(int take = 100, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(take, 1);
        await tables.CreateTableIfNotExistsAsync(_names.Models, cancellationToken).ConfigureAwait(false);

        // '.' is the character after '-': the range is exactly the row keys starting with "outbox-".
        var query = new TableQuery
        {
            Filter = $"RowKey ge {TableQuery.Quote(RowKeys.OutboxPrefix)} and RowKey lt {TableQuery.Quote(RowKeys.OutboxPrefix[..^1] + ".")}",
            Take = take,
        };
        var pending = new List<PendingAliasChange>();
        await foreach (var row in tables.QueryAsync(_names.Models, query, cancellationToken).ConfigureAwait(false))
        {
            pending.Add(new PendingAliasChange(AliasChangeRows.Read(row), row.RowKey));
        }

        return pending;
    }

    /// <summary>Removes an announced change from the outbox (already removed is fine).</summary>
    public Task CompleteAsync(PendingAliasChange pending, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(pending);
        return tables.DeleteAsync(_names.Models, pending.Change.Model, pending.OutboxKey, cancellationToken: cancellationToken);
    }

    /// <summary>The outbox row of <paramref name="change"/> (which must carry an event id), for the registry's transaction.</summary>
    internal static TableEntity Row(ModelAliasChange change) =>
        AliasChangeRows.Write(change, RowKeys.Outbox(change.At, change.EventId ?? throw new ArgumentException("An outbox entry needs an event id.", nameof(change))));
}
