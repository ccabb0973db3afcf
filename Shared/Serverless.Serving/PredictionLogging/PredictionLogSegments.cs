using System.Globalization;

namespace Serverless.Serving.PredictionLogging;

/// <summary>
/// Names of the prediction log's segments: append blobs of JSON Lines, one per model, UTC hour, version and writer
/// (<c>{model}/{yyyyMMddHH}/v{version}/{writer}.jsonl</c>; a segment that reached the append blob's block limit
/// continues in <c>{writer}.{n}.jsonl</c>). An hour of a model is one name prefix, so a monitoring window is a few
/// listings, a prediction id (which carries its hour) finds its segments, and retention deletes whole hours.
/// </summary>
public static class PredictionLogSegments
{
    public const string Extension = ".jsonl";
    private const string HourFormat = "yyyyMMddHH";

    /// <summary>The UTC hour that <paramref name="time"/> falls in.</summary>
    public static DateTimeOffset Hour(DateTimeOffset time)
    {
        var utc = time.UtcDateTime;
        return new DateTimeOffset(utc.Year, utc.Month, utc.Day, utc.Hour, 0, 0, TimeSpan.Zero);
    }

    /// <summary>The prefix of every segment of <paramref name="model"/> in the hour of <paramref name="time"/>.</summary>
    public static string HourPrefix(string model, DateTimeOffset time) =>
        model + "/" + time.UtcDateTime.ToString(HourFormat, CultureInfo.InvariantCulture) + "/";

    /// <summary>The prefix of the segments of one version of <paramref name="model"/> in the hour of <paramref name="time"/>.</summary>
    public static string VersionPrefix(string model, DateTimeOffset time, int version) =>
        HourPrefix(model, time) + "v" + version.ToString(CultureInfo.InvariantCulture) + "/";

    /// <summary>The segment <paramref name="writer"/> appends to (<paramref name="roll"/> counts full segments before it).</summary>
    public static string Name(string model, DateTimeOffset time, int version, string writer, int roll) =>
        VersionPrefix(model, time, version) + writer + (roll == 0 ? string.Empty : "." + roll.ToString(CultureInfo.InvariantCulture)) + Extension;

    /// <summary>The hour a segment name covers, or <c>null</c> when the name is not a segment's.</summary>
    public static DateTimeOffset? HourOf(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        var parts = name.Split('/');
        return parts.Length == 4 && parts[3].EndsWith(Extension, StringComparison.Ordinal)
            && DateTime.TryParseExact(parts[1], HourFormat, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var hour)
            ? new DateTimeOffset(hour, TimeSpan.Zero)
            : null;
    }

    /// <summary>A writer id safe in a blob name: lowercase letters, digits and '-'.</summary>
    public static string WriterId(string? configured)
    {
        var source = string.IsNullOrWhiteSpace(configured) ? Environment.MachineName : configured;
        var chars = source.ToLowerInvariant().Select(c => char.IsAsciiLetterOrDigit(c) ? c : '-').ToArray();
        return chars.Length == 0 ? "host" : new string(chars);
    }
}
