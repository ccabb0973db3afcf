namespace Serverless.Orchestrations.Training;

/// <summary>
/// Whose runs a caller may see: every run (an unscoped key, the host itself), or only the runs of a key's projects.
/// A run belongs to the project it was started for (<see cref="RunView.Project"/>), exactly: a key scoped to
/// <c>wine</c> never sees a run of <c>wine-red</c>, nor one whose project is unknown.
/// </summary>
public sealed class RunVisibility
{
    private RunVisibility(IReadOnlySet<string>? projects) => Projects = projects;

    /// <summary>Every run.</summary>
    public static RunVisibility All { get; } = new(null);

    /// <summary>The projects visible, or null for every project.</summary>
    public IReadOnlySet<string>? Projects { get; }

    public bool IsScoped => Projects is not null;

    /// <summary>A key's scope: its projects, or every project for a key limited to none.</summary>
    public static RunVisibility ForKeyProjects(IEnumerable<string> projects)
    {
        ArgumentNullException.ThrowIfNull(projects);
        var set = projects.ToHashSet(StringComparer.Ordinal);
        return set.Count == 0 ? All : new RunVisibility(set);
    }

    /// <summary>Whether runs of <paramref name="project"/> (null: unknown) are visible.</summary>
    public bool Includes(string? project) => Projects is null || (project is not null && Projects.Contains(project));

    /// <summary>
    /// Whether a run with id <paramref name="runId"/> could be visible, told from the id alone (its prefix names a
    /// visible project or one whose name extends it): when not, the run need not be read to refuse it.
    /// </summary>
    public bool CouldInclude(string runId)
    {
        ArgumentNullException.ThrowIfNull(runId);
        return Projects is null || Projects.Any(p => runId.StartsWith(TrainingRunIds.Prefix(p), StringComparison.Ordinal));
    }
}
