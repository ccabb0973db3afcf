using Serverless.Domain.Projects;

namespace Serverless.Registry;

/// <summary>
/// The projects: every project with a stored spec or at least one dataset version. A project created by an upload
/// without <c>project.json</c> has no stored spec; it is shown with the defaults the pipeline trains it with
/// (<see cref="ProjectSpec.Default"/>, the label inferred from its newest valid dataset version), marked
/// <see cref="ProjectSpecSources.Inferred"/>.
/// </summary>
public sealed class ProjectDirectory(ProjectCatalog projects, DatasetCatalog datasets)
{
    /// <summary>What a project without a stored spec names as its last editor.</summary>
    public const string InferredBy = "inferred";

    public async Task<IReadOnlyList<ProjectRecord>> ListAsync(CancellationToken cancellationToken = default)
    {
        var stored = await projects.ListAsync(cancellationToken).ConfigureAwait(false);
        var names = stored.Select(p => p.Name).ToHashSet(StringComparer.Ordinal);
        var all = new List<ProjectRecord>(stored);
        foreach (var name in await datasets.ListProjectsAsync(cancellationToken).ConfigureAwait(false))
        {
            if (!names.Contains(name) && await InferAsync(name, cancellationToken).ConfigureAwait(false) is { } inferred)
            {
                all.Add(inferred);
            }
        }

        return all.OrderBy(p => p.Name, StringComparer.Ordinal).ToList();
    }

    /// <returns>The project, or <c>null</c> when it has neither a stored spec nor a dataset version.</returns>
    public async Task<ProjectRecord?> GetAsync(string project, CancellationToken cancellationToken = default) =>
        await projects.GetAsync(project, cancellationToken).ConfigureAwait(false)
        ?? await InferAsync(project, cancellationToken).ConfigureAwait(false);

    private async Task<ProjectRecord?> InferAsync(string project, CancellationToken cancellationToken)
    {
        var versions = await datasets.ListAsync(project, cancellationToken).ConfigureAwait(false);
        if (versions.Count == 0)
        {
            return null;
        }

        var basis = versions.LastOrDefault(v => v.IsValid) ?? versions[^1];
        var spec = ProjectSpec.Default with { Label = InferredLabel.From(basis.Schema.Columns.Select(c => c.Name).ToList()) };
        return new ProjectRecord(project, spec, versions[0].CreatedAt, versions[^1].CreatedAt, InferredBy) { SpecSource = ProjectSpecSources.Inferred };
    }
}
