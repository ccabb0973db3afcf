namespace Serverless.Orchestrations.Training;

/// <summary>
/// Which runs <c>GET /api/runs?project=&amp;status=</c> lists: those of exactly <see cref="Project"/> (when given;
/// <c>wine</c> is not <c>wine-red</c>, whose run ids share the prefix), in <see cref="Status"/> (when given, any
/// case), that <see cref="Visibility"/> allows.
/// </summary>
public sealed record RunQuery(string? Project, string? Status, RunVisibility Visibility)
{
    /// <summary>
    /// The instance id prefixes to query: the project's, else each visible project's (none covered by another),
    /// else every run's. They narrow the query; <see cref="Includes"/> decides.
    /// </summary>
    public IReadOnlyList<string> IdPrefixes()
    {
        ArgumentNullException.ThrowIfNull(Visibility);
        if (!string.IsNullOrEmpty(Project))
        {
            return Visibility.Includes(Project) ? [TrainingRunIds.Prefix(Project)] : [];
        }

        if (Visibility.Projects is not { } projects)
        {
            return [TrainingRunIds.AnyPrefix];
        }

        var prefixes = new List<string>();
        foreach (var prefix in projects.Select(TrainingRunIds.Prefix).Order(StringComparer.Ordinal))
        {
            if (prefixes.Count == 0 || !prefix.StartsWith(prefixes[^1], StringComparison.Ordinal))
            {
                prefixes.Add(prefix);
            }
        }

        return prefixes;
    }

    public bool Includes(RunView run)
    {
        ArgumentNullException.ThrowIfNull(run);
        ArgumentNullException.ThrowIfNull(Visibility);
        return (string.IsNullOrEmpty(Project) || string.Equals(run.Project, Project, StringComparison.Ordinal))
            && (string.IsNullOrEmpty(Status) || string.Equals(run.Status, Status, StringComparison.OrdinalIgnoreCase))
            && Visibility.Includes(run.Project);
    }
}
