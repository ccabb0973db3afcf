using Cronos;

namespace Serverless.Hosting.Timers;

/// <summary>An NCRONTAB expression in UTC: six fields with seconds (as Azure Functions), or five without.</summary>
public sealed class CronSchedule
{
    private readonly CronExpression _expression;

    private CronSchedule(string text, CronExpression expression)
    {
        Text = text;
        _expression = expression;
    }

    public string Text { get; }

    /// <exception cref="FormatException">The expression is not valid NCRONTAB.</exception>
    public static CronSchedule Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var fields = text.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length;
        try
        {
            return new CronSchedule(text, CronExpression.Parse(text, fields == 6 ? CronFormat.IncludeSeconds : CronFormat.Standard));
        }
        catch (CronFormatException e)
        {
            throw new FormatException($"Schedule '{text}' is not a valid NCRONTAB expression ('sec min hour day month weekday'): {e.Message}", e);
        }
    }

    /// <summary>The first occurrence strictly after <paramref name="after"/>.</summary>
    public DateTimeOffset NextAfter(DateTimeOffset after) =>
        _expression.GetNextOccurrence(after, TimeZoneInfo.Utc) ?? throw new InvalidOperationException($"Schedule '{Text}' has no further occurrence.");
}
