namespace Serverless.Domain.Projects;

/// <summary>The shortest gap between two firings of an NCRONTAB schedule, found by walking its occurrences.</summary>
public static class ScheduleInterval
{
    // Walk from a fixed instant over more than a week (every weekday and hour pattern), stopping early once a gap is too short.
    private static readonly DateTime WalkStart = new(2024, 1, 1, 0, 0, 0, DateTimeKind.Utc);
    private static readonly TimeSpan WalkLength = TimeSpan.FromDays(8);
    private const int MaxOccurrences = 20_000;

    /// <summary>Whether <paramref name="expression"/> (valid NCRONTAB) ever fires twice within less than <paramref name="minimum"/>.</summary>
    /// <param name="shortest">The shortest gap seen (the first one below <paramref name="minimum"/> when there is one).</param>
    public static bool FiresMoreOftenThan(string expression, TimeSpan minimum, out TimeSpan shortest)
    {
        var cron = NcrontabExpression.Parse(expression);
        shortest = TimeSpan.MaxValue;
        DateTime? previous = null;
        var count = 0;
        foreach (var occurrence in cron.GetOccurrences(WalkStart, WalkStart + WalkLength, fromInclusive: true, toInclusive: false))
        {
            if (previous is { } last)
            {
                var gap = occurrence - last;
                shortest = gap < shortest ? gap : shortest;
                if (gap < minimum)
                {
                    return true;
                }
            }

            previous = occurrence;
            if (++count >= MaxOccurrences)
            {
                break;
            }
        }

        return false;
    }
}
