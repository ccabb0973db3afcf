using System.Globalization;

namespace Serverless.Monitoring.Stores;

/// <summary>Row keys that sort newest first: inverted ticks, zero-padded, plus a disambiguating suffix.</summary>
internal static class ReverseTimeKey
{
    public static string For(DateTimeOffset time, string suffix) =>
        (DateTimeOffset.MaxValue.UtcTicks - time.UtcTicks).ToString("D19", CultureInfo.InvariantCulture) + "_" + suffix;
}
