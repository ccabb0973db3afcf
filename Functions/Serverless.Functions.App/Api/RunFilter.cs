using Serverless.Hosting;

namespace Serverless.Functions.Api;

/// <summary>
/// Which runs <c>GET /api/runs?project=&amp;status=</c> lists: those of exactly <see cref="Project"/> (when given;
/// <c>wine</c> is not <c>wine-red</c>, whose run ids share the prefix), in <see cref="Status"/> (when given, any
/// case), that <see cref="Caller"/> may see (<see cref="RunView.IsVisibleTo"/>).
/// </summary>
internal sealed record RunFilter(string? Project, string? Status, CallerIdentity Caller)
{
    public bool Includes(RunView run)
    {
        ArgumentNullException.ThrowIfNull(run);
        return (string.IsNullOrEmpty(Project) || string.Equals(run.Project, Project, StringComparison.Ordinal))
            && (string.IsNullOrEmpty(Status) || string.Equals(run.Status, Status, StringComparison.OrdinalIgnoreCase))
            && run.IsVisibleTo(Caller);
    }
}
