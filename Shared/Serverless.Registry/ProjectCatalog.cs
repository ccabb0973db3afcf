using Serverless.Domain.Projects;
using Serverless.Storage;

namespace Serverless.Registry;

/// <summary>Project specs (<c>project.json</c>), one row per project.</summary>
public sealed class ProjectCatalog(ITableStore tables, RegistryTables? names = null)
{
    private const string Partition = "project";
    private readonly RegistryTables _names = names ?? RegistryTables.Default;

    public Task InitializeAsync(CancellationToken cancellationToken = default) =>
        tables.CreateTableIfNotExistsAsync(_names.Projects, cancellationToken);

    /// <summary>Creates or replaces a project's spec.</summary>
    public async Task<ProjectRecord> PutAsync(string project, ProjectSpec spec, string updatedBy, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        if (StorageNames.DescribeInvalidResourceName("Project", project) is { } problem)
        {
            throw new ArgumentException(problem, nameof(project));
        }

        var existing = await tables.GetAsync(_names.Projects, Partition, project, cancellationToken).ConfigureAwait(false);
        var record = new ProjectRecord(project, spec, existing?.GetDateTimeOffset("CreatedAt") ?? now, now, updatedBy);
        await tables.UpsertAsync(_names.Projects, new TableEntity(Partition, project, new Dictionary<string, object?>
        {
            ["Spec"] = ProjectSpecSerializer.Serialize(spec),
            ["CreatedAt"] = record.CreatedAt,
            ["UpdatedAt"] = now,
            ["UpdatedBy"] = updatedBy,
        }), cancellationToken: cancellationToken).ConfigureAwait(false);
        return record;
    }

    /// <returns>The project, or <c>null</c> when it has no spec yet.</returns>
    public async Task<ProjectRecord?> GetAsync(string project, CancellationToken cancellationToken = default)
    {
        var row = await tables.GetAsync(_names.Projects, Partition, project, cancellationToken).ConfigureAwait(false);
        return row is null ? null : ToRecord(row);
    }

    public async Task<IReadOnlyList<ProjectRecord>> ListAsync(CancellationToken cancellationToken = default)
    {
        var projects = new List<ProjectRecord>();
        await foreach (var row in tables.QueryAsync(_names.Projects, TableQuery.Partition(Partition), cancellationToken).ConfigureAwait(false))
        {
            projects.Add(ToRecord(row));
        }

        return projects;
    }

    /// <summary>
    /// A stored spec that no longer reads (rules tightened since it was written) does not hide the other
    /// projects: the project comes back with the default spec and <see cref="ProjectRecord.SpecError"/> saying why.
    /// </summary>
    private static ProjectRecord ToRecord(TableEntity row)
    {
        ProjectSpec spec;
        string? error = null;
        try
        {
            spec = ProjectSpecSerializer.Parse(row.GetString("Spec") ?? "{}");
        }
        catch (ProjectSpecException e)
        {
            spec = ProjectSpec.Default;
            error = e.Message;
        }

        return new(
            row.RowKey,
            spec,
            row.GetDateTimeOffset("CreatedAt") ?? DateTimeOffset.MinValue,
            row.GetDateTimeOffset("UpdatedAt") ?? DateTimeOffset.MinValue,
            row.GetString("UpdatedBy") ?? "unknown")
        {
            SpecError = error,
        };
    }
}

/// <summary>A project and its current spec.</summary>
public sealed record ProjectRecord(string Name, ProjectSpec Spec, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt, string UpdatedBy)
{
    /// <summary>Why the stored spec could not be read (the default spec stands in for it), or <c>null</c>.</summary>
    public string? SpecError { get; init; }

    /// <summary><see cref="ProjectSpecSources.Stored"/>, or <see cref="ProjectSpecSources.Inferred"/> for a project trained with defaults (no stored spec).</summary>
    public string SpecSource { get; init; } = ProjectSpecSources.Stored;
}

/// <summary>Where a project's spec comes from.</summary>
public static class ProjectSpecSources
{
    /// <summary>Written by <c>project.json</c> or <c>PUT /api/projects/{project}</c>.</summary>
    public const string Stored = "stored";

    /// <summary>None stored: the defaults the pipeline trains with, the label inferred from the newest dataset version.</summary>
    public const string Inferred = "inferred";
}
