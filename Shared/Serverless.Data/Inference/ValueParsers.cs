using System.Globalization;

namespace Serverless.Data.Inference;

/// <summary>How cell texts are recognized as numbers, booleans and timestamps (invariant culture).</summary>
public static class ValueParsers
{
    private static readonly string[] DateTimeFormats =
    [
        "yyyy-MM-dd", "yyyy-MM-ddTHH:mm", "yyyy-MM-ddTHH:mm:ss", "yyyy-MM-ddTHH:mm:ss.FFFFFFF", "yyyy-MM-ddTHH:mm:ssK",
        "yyyy-MM-ddTHH:mm:ss.FFFFFFFK", "yyyy-MM-dd HH:mm", "yyyy-MM-dd HH:mm:ss", "yyyy-MM-dd HH:mm:ss.FFFFFFF", "yyyy-MM-dd HH:mm:ssK",
        "yyyy/MM/dd", "yyyy/MM/dd HH:mm:ss", "M/d/yyyy", "M/d/yyyy H:mm", "M/d/yyyy H:mm:ss", "d.M.yyyy", "d.M.yyyy H:mm:ss",
        "d-MMM-yyyy", "d MMM yyyy",
    ];

    public static bool TryNumber(string text, out double value) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out value) && double.IsFinite(value);

    /// <summary>true/false, yes/no, t/f, y/n (any case); 0/1 only when <paramref name="allowDigits"/> (a declared boolean).</summary>
    public static bool TryBoolean(string text, bool allowDigits, out bool value)
    {
        switch (text.Trim().ToLowerInvariant())
        {
            case "true" or "yes" or "t" or "y":
                value = true;
                return true;
            case "false" or "no" or "f" or "n":
                value = false;
                return true;
            case "1" when allowDigits:
                value = true;
                return true;
            case "0" when allowDigits:
                value = false;
                return true;
            default:
                value = false;
                return false;
        }
    }

    /// <summary>ISO 8601 dates and timestamps, and the common <c>M/d/yyyy</c>, <c>d.M.yyyy</c>, <c>d-MMM-yyyy</c> forms.</summary>
    public static bool IsDateTime(string text) =>
        DateTime.TryParseExact(text.Trim(), DateTimeFormats, CultureInfo.InvariantCulture, DateTimeStyles.AllowWhiteSpaces | DateTimeStyles.RoundtripKind, out _)
        || (text.Length >= 10 && char.IsDigit(text[0]) && text[4] == '-'
            && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out _));
}
