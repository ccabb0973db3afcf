using Cronos;

namespace Serverless.Domain.Projects;

/// <summary>NCRONTAB with seconds (six fields), as Azure Functions timer triggers use.</summary>
public static class NcrontabExpression
{
    public static CronExpression Parse(string expression) => CronExpression.Parse(expression, CronFormat.IncludeSeconds);

    public static bool TryValidate(string expression, out string? problem)
    {
        ArgumentNullException.ThrowIfNull(expression);
        var fields = expression.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length;
        if (fields != 6)
        {
            problem = $"'{expression}' has {fields} fields; NCRONTAB needs six (second minute hour day month day-of-week), e.g. '0 0 2 * * *'";
            return false;
        }

        try
        {
            _ = Parse(expression);
            problem = null;
            return true;
        }
        catch (CronFormatException e)
        {
            problem = $"'{expression}' is not a valid NCRONTAB expression: {e.Message}";
            return false;
        }
    }
}
