using Microsoft.Extensions.Logging;
using Serverless.Domain.Projects;
using Serverless.Hosting.Timers;
using Serverless.Registry;

namespace Serverless.Functions.Schedules;

/// <summary>
/// Per-project cron schedules of one kind (<c>retrain</c>, <c>monitoring</c>), evaluated by a fixed timer function on
/// whichever host runs it: each project's current cron against its persisted state <c>{kind}-{project}</c>
/// (<see cref="DueOccurrences"/>), so each occurrence runs once across hosts, a changed cron is followed from now on
/// and a project without a schedule runs nothing.
/// </summary>
public sealed partial class ProjectScheduleClock(ProjectCatalog projects, DueOccurrences occurrences, ILogger<ProjectScheduleClock> logger)
{
    /// <summary>The persisted schedule's name of <paramref name="project"/>'s schedule of <paramref name="kind"/>.</summary>
    public static string ScheduleName(string kind, string project) => $"{kind}-{project}";

    /// <summary>Claims, then runs, the due occurrence of every project that has a <paramref name="cronOf"/> schedule; one project's failure does not stop the others.</summary>
    /// <returns>The occurrences claimed here whose <paramref name="run"/> completed.</returns>
    public async Task<IReadOnlyList<ProjectOccurrence>> RunDueAsync(
        string kind, Func<ProjectSpec, string?> cronOf, Func<ProjectOccurrence, CancellationToken, Task> run, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(cronOf);
        ArgumentNullException.ThrowIfNull(run);
        var ran = new List<ProjectOccurrence>();
        foreach (var project in await projects.ListAsync(cancellationToken).ConfigureAwait(false))
        {
            if (cronOf(project.Spec) is not { Length: > 0 } cron || Parse(kind, project.Name, cron) is not { } schedule)
            {
                continue;
            }

            try
            {
                if (await occurrences.TryClaimAsync(ScheduleName(kind, project.Name), schedule, cancellationToken).ConfigureAwait(false) is { } due)
                {
                    var occurrence = new ProjectOccurrence(project.Name, cron, due);
                    await run(occurrence, cancellationToken).ConfigureAwait(false);
                    ran.Add(occurrence);
                }
            }
            catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                LogFailed(logger, e, kind, project.Name);
            }
        }

        return ran;
    }

    private CronSchedule? Parse(string kind, string project, string cron)
    {
        try
        {
            return CronSchedule.Parse(cron);
        }
        catch (FormatException e)
        {
            LogInvalid(logger, kind, project, cron, e.Message);
            return null;
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Project {Project}: the {Kind} schedule '{Cron}' is not used: {Problem}")]
    private static partial void LogInvalid(ILogger logger, string kind, string project, string cron, string problem);

    [LoggerMessage(Level = LogLevel.Error, Message = "Project {Project}: the {Kind} schedule's occurrence failed; the next one runs as planned")]
    private static partial void LogFailed(ILogger logger, Exception exception, string kind, string project);
}
