using System.Globalization;
using System.Text;
using System.Text.Json;
using Serverless.Storage;

namespace Serverless.Durable.Storage;

/// <summary>The Instances table: one row per instance (partition = instance id, empty row key) with its status and payloads.</summary>
internal sealed class InstanceStore(ITableStore tables, LargePayloadStore payloads, TaskHubNames names)
{
    private static readonly string[] MetadataColumns =
        ["PartitionKey", "RowKey", "Name", "RuntimeStatus", "CreatedAt", "LastUpdatedAt", "ExecutionId", "Failure", "CustomStatus", "CustomStatusBlob"];

    public async Task<TableEntity?> GetRowAsync(string instanceId, CancellationToken cancellationToken) =>
        await tables.GetAsync(names.InstancesTable, instanceId, string.Empty, cancellationToken).ConfigureAwait(false);

    public async Task<OrchestrationMetadata?> GetAsync(string instanceId, bool includePayloads, CancellationToken cancellationToken)
    {
        var row = await GetRowAsync(instanceId, cancellationToken).ConfigureAwait(false);
        return row is null ? null : await ToMetadataAsync(row, includePayloads, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Writes the whole row: a new (or restarted) instance.</summary>
    public async Task WriteNewAsync(string instanceId, string name, string executionId, OrchestrationRuntimeStatus status, string? input, DateTimeOffset createdAt, ETag? ifMatch, CancellationToken cancellationToken)
    {
        var row = new TableEntity(instanceId, string.Empty).With(
            ("Name", name),
            ("ExecutionId", executionId),
            ("RuntimeStatus", status.ToString()),
            ("CreatedAt", createdAt),
            ("LastUpdatedAt", DateTimeOffset.UtcNow));
        row = row.With(await payloads.ToPropertiesAsync(instanceId, "Input", input, cancellationToken).ConfigureAwait(false));
        if (ifMatch is { } etag)
        {
            await tables.UpdateAsync(names.InstancesTable, row with { ETag = etag }, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        else
        {
            await tables.AddAsync(names.InstancesTable, row, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Records a checkpoint: a full row when a new execution started, else a merge of what changed.</summary>
    public async Task WriteCheckpointAsync(string instanceId, HistoryEvent? started, OrchestrationRuntimeStatus status, string? customStatus, HistoryEvent? completion, CancellationToken cancellationToken)
    {
        var now = DateTimeOffset.UtcNow;
        var row = new TableEntity(instanceId, string.Empty).With(("RuntimeStatus", status.ToString()), ("LastUpdatedAt", now));
        if (started is not null)
        {
            row = row.With(
                ("Name", started.Name),
                ("ExecutionId", started.ExecutionId),
                ("CreatedAt", new DateTimeOffset(DateTime.SpecifyKind(started.ScheduledAt ?? started.Timestamp, DateTimeKind.Utc))));
            row = row.With(await payloads.ToPropertiesAsync(instanceId, "Input", started.Input, cancellationToken).ConfigureAwait(false));
        }

        if (customStatus is not null)
        {
            row = row.With(await payloads.ToPropertiesAsync(instanceId, "CustomStatus", customStatus, cancellationToken).ConfigureAwait(false));
        }

        if (completion is not null)
        {
            row = row.With(("CompletedAt", now));
            row = row.With(await payloads.ToPropertiesAsync(instanceId, "Output", completion.Result, cancellationToken).ConfigureAwait(false));
            if (completion.Failure is not null)
            {
                row = row.With(("Failure", JsonSerializer.Serialize(completion.Failure, DurableJson.Options)));
            }
        }

        await tables.UpsertAsync(names.InstancesTable, row, merge: started is null, cancellationToken).ConfigureAwait(false);
    }

    public Task<bool> DeleteAsync(string instanceId, CancellationToken cancellationToken) =>
        tables.DeleteAsync(names.InstancesTable, instanceId, string.Empty, cancellationToken: cancellationToken);

    /// <summary>Reads a page of instances in instance-id order; the continuation token is the last id returned.</summary>
    public async Task<OrchestrationQueryPage> QueryAsync(OrchestrationQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentOutOfRangeException.ThrowIfLessThan(query.PageSize, 1);
        var filters = new List<string>();
        if (query.ContinuationToken is { Length: > 0 } token)
        {
            string after;
            try
            {
                after = Encoding.UTF8.GetString(Convert.FromBase64String(token));
            }
            catch (FormatException e)
            {
                throw new ArgumentException($"Continuation token '{token}' is not one this API returned.", nameof(query), e);
            }

            filters.Add($"PartitionKey gt {TableQuery.Quote(after)}");
        }

        if (query.InstanceIdPrefix is { Length: > 0 } prefix)
        {
            filters.Add($"PartitionKey ge {TableQuery.Quote(prefix)} and PartitionKey lt {TableQuery.Quote(prefix + '\uffff')}");
        }

        if (query.Statuses is { Count: > 0 } statuses)
        {
            filters.Add("(" + string.Join(" or ", statuses.Select(s => $"RuntimeStatus eq {TableQuery.Quote(s.ToString())}")) + ")");
        }

        if (query.CreatedFrom is { } from)
        {
            filters.Add($"CreatedAt ge datetime'{from.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.fffffffZ", CultureInfo.InvariantCulture)}'");
        }

        if (query.CreatedTo is { } to)
        {
            filters.Add($"CreatedAt le datetime'{to.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.fffffffZ", CultureInfo.InvariantCulture)}'");
        }

        var tableQuery = new TableQuery
        {
            Filter = filters.Count == 0 ? null : string.Join(" and ", filters),
            Take = query.PageSize + 1,
            Select = query.FetchInputsAndOutputs ? null : MetadataColumns,
        };
        var rows = new List<TableEntity>();
        await foreach (var row in tables.QueryAsync(names.InstancesTable, tableQuery, cancellationToken).ConfigureAwait(false))
        {
            rows.Add(row);
        }

        var page = rows.Take(query.PageSize).ToList();
        var instances = new List<OrchestrationMetadata>(page.Count);
        foreach (var row in page)
        {
            instances.Add(await ToMetadataAsync(row, query.FetchInputsAndOutputs, cancellationToken).ConfigureAwait(false));
        }

        var next = rows.Count > query.PageSize ? Convert.ToBase64String(Encoding.UTF8.GetBytes(page[^1].PartitionKey)) : null;
        return new OrchestrationQueryPage(instances, next);
    }

    private async Task<OrchestrationMetadata> ToMetadataAsync(TableEntity row, bool includePayloads, CancellationToken cancellationToken) =>
        new(row.GetString("Name") ?? string.Empty, row.PartitionKey)
        {
            RuntimeStatus = Enum.TryParse<OrchestrationRuntimeStatus>(row.GetString("RuntimeStatus"), out var status) ? status : OrchestrationRuntimeStatus.Pending,
            CreatedAt = row.GetDateTimeOffset("CreatedAt") ?? DateTimeOffset.MinValue,
            LastUpdatedAt = row.GetDateTimeOffset("LastUpdatedAt") ?? DateTimeOffset.MinValue,
            ExecutionId = row.GetString("ExecutionId"),
            FailureDetails = row.GetString("Failure") is { } failure ? JsonSerializer.Deserialize<FailureDetails>(failure, DurableJson.Options) : null,
            SerializedCustomStatus = await payloads.FromPropertiesAsync(row, "CustomStatus", cancellationToken).ConfigureAwait(false),
            SerializedInput = includePayloads ? await payloads.FromPropertiesAsync(row, "Input", cancellationToken).ConfigureAwait(false) : null,
            SerializedOutput = includePayloads ? await payloads.FromPropertiesAsync(row, "Output", cancellationToken).ConfigureAwait(false) : null,
        };
}
