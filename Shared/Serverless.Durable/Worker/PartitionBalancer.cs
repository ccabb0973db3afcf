using Microsoft.Extensions.Logging;
using Serverless.Durable.Storage;
using Serverless.Storage;

namespace Serverless.Durable.Worker;

/// <summary>
/// Owns control-queue partitions through leases, like DTF's lease balancing: each host heartbeats in the
/// Workers table, aims for its share (partitions ÷ live hosts, rounded up), takes free or expired leases,
/// and asks an over-provisioned host to hand one over (the owner releases it on its next cycle).
/// Leases are renewed every cycle; a lost lease stops the partition at once; a clean stop releases all.
/// </summary>
internal sealed class PartitionBalancer(
    TaskHubStorage storage,
    DurableTaskOptions options,
    Func<int, ControlQueueListener> createListener,
    ILogger logger)
{
    private const string WorkersPartition = "workers";
    private const string PartitionsPartition = "partitions";
    private readonly Dictionary<int, (CancellationTokenSource Stop, Task Run)> _owned = [];
    private readonly string _workerId = options.WorkerId;

    public IReadOnlyCollection<int> OwnedPartitions => _owned.Keys;

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                try
                {
                    await BalanceAsync(cancellationToken).ConfigureAwait(false);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    DurableLog.LeaseMaintenanceFailed(logger, storage.Names.HubName, e);
                }

                await Task.Delay(options.StorageProvider.LeaseRenewInterval, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
        finally
        {
            await ReleaseAllAsync().ConfigureAwait(false);
        }
    }

    private async Task BalanceAsync(CancellationToken cancellationToken)
    {
        var names = storage.Names;
        var now = DateTimeOffset.UtcNow;
        await storage.Tables.UpsertAsync(names.WorkersTable, new TableEntity(WorkersPartition, _workerId).With(("LastSeen", now)), cancellationToken: cancellationToken).ConfigureAwait(false);

        var aliveAfter = now - (options.StorageProvider.LeaseDuration + options.StorageProvider.LeaseRenewInterval);
        var alive = new HashSet<string>(StringComparer.Ordinal) { _workerId };
        var rows = new Dictionary<int, TableEntity>();
        await foreach (var row in storage.Tables.QueryAsync(names.WorkersTable, TableQuery.All, cancellationToken).ConfigureAwait(false))
        {
            if (row.PartitionKey == WorkersPartition && row.GetDateTimeOffset("LastSeen") > aliveAfter)
            {
                alive.Add(row.RowKey);
            }
            else if (row.PartitionKey == PartitionsPartition && int.TryParse(row.RowKey, out var p))
            {
                rows[p] = row;
            }
        }

        var count = names.PartitionCount;
        var target = (count + alive.Count - 1) / alive.Count;
        var minimum = count / alive.Count;

        foreach (var partition in _owned.Keys.ToList())
        {
            if (!await storage.Leases.RenewAsync(names.LeaseContainer, names.PartitionLease(partition), _workerId, cancellationToken).ConfigureAwait(false))
            {
                await StopAsync(partition, "lease lost", release: false).ConfigureAwait(false);
            }
        }

        foreach (var partition in _owned.Keys.ToList())
        {
            var requester = rows.TryGetValue(partition, out var row) ? row.GetString("StealRequestedBy") : null;
            if (requester is not null && requester != _workerId && alive.Contains(requester) && _owned.Count > minimum && _owned.Count > 1)
            {
                await StopAsync(partition, $"handed to {requester}", release: true).ConfigureAwait(false);
                await WritePartitionRowAsync(partition, null, cancellationToken).ConfigureAwait(false);
            }
        }

        for (var partition = 0; partition < count && _owned.Count < target; partition++)
        {
            if (_owned.ContainsKey(partition))
            {
                continue;
            }

            if (await storage.Leases.TryAcquireAsync(names.LeaseContainer, names.PartitionLease(partition), _workerId, options.StorageProvider.LeaseDuration, cancellationToken).ConfigureAwait(false))
            {
                await WritePartitionRowAsync(partition, _workerId, cancellationToken).ConfigureAwait(false);
                Start(partition, cancellationToken);
            }
        }

        if (_owned.Count < minimum)
        {
            var owners = rows.Values.GroupBy(r => r.GetString("Owner") ?? string.Empty).ToDictionary(g => g.Key, g => g.Count());
            var wanted = minimum - _owned.Count;
            foreach (var (partition, row) in rows.OrderBy(r => r.Key))
            {
                var owner = row.GetString("Owner");
                if (wanted == 0 || string.IsNullOrEmpty(owner) || owner == _workerId || owners[owner] <= minimum
                    || (row.GetString("StealRequestedBy") is { } requested && alive.Contains(requested)))
                {
                    continue;
                }

                await storage.Tables.UpsertAsync(names.WorkersTable, new TableEntity(PartitionsPartition, partition.ToString("00", System.Globalization.CultureInfo.InvariantCulture)).With(("StealRequestedBy", _workerId)), merge: true, cancellationToken).ConfigureAwait(false);
                owners[owner]--;
                wanted--;
            }
        }
    }

    private Task WritePartitionRowAsync(int partition, string? owner, CancellationToken cancellationToken) =>
        storage.Tables.UpsertAsync(
            storage.Names.WorkersTable,
            new TableEntity(PartitionsPartition, partition.ToString("00", System.Globalization.CultureInfo.InvariantCulture)).With(("Owner", owner ?? string.Empty)),
            merge: false,
            cancellationToken);

    private void Start(int partition, CancellationToken cancellationToken)
    {
        var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var listener = createListener(partition);
        _owned[partition] = (stop, Task.Run(() => listener.RunAsync(stop.Token), CancellationToken.None));
        DurableLog.PartitionAcquired(logger, _workerId, partition, storage.Names.HubName);
    }

    private async Task StopAsync(int partition, string reason, bool release)
    {
        if (!_owned.Remove(partition, out var owned))
        {
            return;
        }

        await owned.Stop.CancelAsync().ConfigureAwait(false);
        try
        {
            await owned.Run.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }

        owned.Stop.Dispose();
        if (release)
        {
            await storage.Leases.ReleaseAsync(storage.Names.LeaseContainer, storage.Names.PartitionLease(partition), _workerId, CancellationToken.None).ConfigureAwait(false);
        }

        DurableLog.PartitionReleased(logger, _workerId, partition, storage.Names.HubName, reason);
    }

    private async Task ReleaseAllAsync()
    {
        foreach (var partition in _owned.Keys.ToList())
        {
            await StopAsync(partition, "worker stopping", release: true).ConfigureAwait(false);
            try
            {
                await WritePartitionRowAsync(partition, null, CancellationToken.None).ConfigureAwait(false);
            }
            catch (StorageException)
            {
            }
        }

        try
        {
            await storage.Tables.DeleteAsync(storage.Names.WorkersTable, WorkersPartition, _workerId, cancellationToken: CancellationToken.None).ConfigureAwait(false);
        }
        catch (StorageException)
        {
        }
    }
}
