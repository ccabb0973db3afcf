using Serverless.Storage;

namespace Serverless.Registry;

/// <summary>
/// A project's dataset versions, numbered 1, 2, … in upload order and deduplicated by content hash.
/// One table partition per project: the counter, the version row and the hash index change together.
/// </summary>
public sealed class DatasetCatalog(ITableStore tables, RegistryTables? names = null)
{
    private const string CounterRow = "project";
    private const int MaxConcurrencyRetries = 20;
    private readonly RegistryTables _names = names ?? RegistryTables.Default;

    public Task InitializeAsync(CancellationToken cancellationToken = default) =>
        tables.CreateTableIfNotExistsAsync(_names.DatasetVersions, cancellationToken);

    /// <summary>The version with this content, if the project already has it.</summary>
    public async Task<DatasetVersion?> FindByHashAsync(string project, string contentHash, CancellationToken cancellationToken = default)
    {
        var index = await tables.GetAsync(_names.DatasetVersions, project, RowKeys.HashPrefix + contentHash, cancellationToken).ConfigureAwait(false);
        return index?.GetInt32("Version") is int version ? await GetAsync(project, version, cancellationToken).ConfigureAwait(false) : null;
    }

    /// <summary>
    /// Records a new version, or returns the existing one when the project already has this content.
    /// <paramref name="create"/> receives the version number to use.
    /// </summary>
    public async Task<(DatasetVersion Version, bool Created)> RegisterAsync(string project, string contentHash, Func<int, DatasetVersion> create, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(create);
        for (var attempt = 0; attempt < MaxConcurrencyRetries; attempt++)
        {
            if (await FindByHashAsync(project, contentHash, cancellationToken).ConfigureAwait(false) is { } existing)
            {
                return (existing, false);
            }

            var counter = await tables.GetAsync(_names.DatasetVersions, project, CounterRow, cancellationToken).ConfigureAwait(false);
            var next = (counter?.GetInt32("LatestVersion") ?? 0) + 1;
            var version = create(next);
            var operations = new List<TableOperation>
            {
                counter is null
                    ? TableOperation.Add(new TableEntity(project, CounterRow, new Dictionary<string, object?> { ["LatestVersion"] = next }))
                    : TableOperation.Update(counter.With(("LatestVersion", next))),
                TableOperation.Add(new TableEntity(project, RowKeys.Version(next), new Dictionary<string, object?>
                {
                    ["Json"] = RegistryJson.Serialize(version),
                    ["IsValid"] = version.IsValid,
                    ["ContentHash"] = contentHash,
                })),
                TableOperation.Add(new TableEntity(project, RowKeys.HashPrefix + contentHash, new Dictionary<string, object?> { ["Version"] = next })),
            };
            try
            {
                await tables.SubmitTransactionAsync(_names.DatasetVersions, operations, cancellationToken).ConfigureAwait(false);
                return (version, true);
            }
            catch (StorageConflictException)
            {
                // A concurrent upload registered first; look again.
            }
        }

        throw new StorageConflictException($"Could not register a dataset version of project '{project}' under contention.");
    }

    /// <summary>Replaces the stored record of a version (the pipeline adds its validation outcome and artifacts).</summary>
    public async Task UpdateAsync(DatasetVersion version, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(version);
        await tables.UpsertAsync(_names.DatasetVersions, new TableEntity(version.Project, RowKeys.Version(version.Version), new Dictionary<string, object?>
        {
            ["Json"] = RegistryJson.Serialize(version),
            ["IsValid"] = version.IsValid,
            ["ContentHash"] = version.ContentHash,
        }), cancellationToken: cancellationToken).ConfigureAwait(false);
    }

    /// <exception cref="RegistryNotFoundException">No such version.</exception>
    public async Task<DatasetVersion> GetAsync(string project, int version, CancellationToken cancellationToken = default)
    {
        var row = await tables.GetAsync(_names.DatasetVersions, project, RowKeys.Version(version), cancellationToken).ConfigureAwait(false)
            ?? throw new RegistryNotFoundException($"Project '{project}' has no dataset version {version}.");
        return RegistryJson.Deserialize<DatasetVersion>(row.GetString("Json")!);
    }

    /// <summary>All versions, oldest first.</summary>
    public async Task<IReadOnlyList<DatasetVersion>> ListAsync(string project, CancellationToken cancellationToken = default)
    {
        var versions = new List<DatasetVersion>();
        await foreach (var row in tables.QueryAsync(_names.DatasetVersions, TableQuery.RowKeyPrefix(project, RowKeys.VersionPrefix), cancellationToken).ConfigureAwait(false))
        {
            versions.Add(RegistryJson.Deserialize<DatasetVersion>(row.GetString("Json")!));
        }

        return versions;
    }

    /// <summary>The projects with at least one dataset version (each has the counter row).</summary>
    public async Task<IReadOnlyList<string>> ListProjectsAsync(CancellationToken cancellationToken = default)
    {
        var projects = new List<string>();
        var query = new TableQuery { Filter = $"RowKey eq {TableQuery.Quote(CounterRow)}", Select = ["PartitionKey"] };
        await foreach (var row in tables.QueryAsync(_names.DatasetVersions, query, cancellationToken).ConfigureAwait(false))
        {
            projects.Add(row.PartitionKey);
        }

        return projects;
    }

    /// <summary>The newest version that passed validation, if any (the baseline for schema-change checks and retraining).</summary>
    public async Task<DatasetVersion?> GetLatestValidAsync(string project, CancellationToken cancellationToken = default) =>
        (await ListAsync(project, cancellationToken).ConfigureAwait(false)).LastOrDefault(v => v.IsValid);
}
