using System.Buffers;
using System.Buffers.Binary;
using System.Globalization;
using System.Security.Cryptography;

namespace Serverless.Serving.Predictions;

/// <summary>
/// Prediction ids: 17 digits of UTC time (<c>yyyyMMddHHmmssfff</c>) then 16 random hex digits. They sort by time,
/// are unique, and carry the hour that names their prediction log partition.
/// </summary>
public static class PredictionId
{
    private const string TimeFormat = "yyyyMMddHHmmssfff";

    public const int Length = 33;

    public static string New(DateTimeOffset time)
    {
        Span<byte> random = stackalloc byte[8];
        RandomNumberGenerator.Fill(random);
        var state = (Time: time.UtcDateTime, Random: BinaryPrimitives.ReadUInt64BigEndian(random));
        return string.Create(Length, state, static (chars, state) =>
        {
            state.Time.TryFormat(chars, out var written, TimeFormat, CultureInfo.InvariantCulture);
            state.Random.TryFormat(chars[written..], out _, "x16", CultureInfo.InvariantCulture);
        });
    }

    /// <summary>
    /// Fills <paramref name="ids"/> from <paramref name="start"/> with new ids of one time: the time is formatted once and
    /// the random part of all of them drawn in one call (a batch of rows costs one id's overhead, not one per row).
    /// </summary>
    public static void Fill(DateTimeOffset time, string[] ids, int start)
    {
        ArgumentNullException.ThrowIfNull(ids);
        var count = ids.Length - start;
        if (count <= 0)
        {
            return;
        }

        var prefix = time.UtcDateTime.ToString(TimeFormat, CultureInfo.InvariantCulture);
        var random = ArrayPool<byte>.Shared.Rent(count * 8);
        try
        {
            RandomNumberGenerator.Fill(random.AsSpan(0, count * 8));
            for (var i = 0; i < count; i++)
            {
                var state = (Prefix: prefix, Random: BinaryPrimitives.ReadUInt64BigEndian(random.AsSpan(i * 8, 8)));
                ids[start + i] = string.Create(Length, state, static (chars, state) =>
                {
                    state.Prefix.AsSpan().CopyTo(chars);
                    state.Random.TryFormat(chars[17..], out _, "x16", CultureInfo.InvariantCulture);
                });
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(random);
        }
    }

    /// <summary>The time an id was issued, or <c>null</c> when the text is not a prediction id.</summary>
    public static DateTimeOffset? TimeOf(string id)
    {
        if (id is null || id.Length != Length || !id.AsSpan(17).ContainsOnlyHex())
        {
            return null;
        }

        return DateTime.TryParseExact(id.AsSpan(0, 17), TimeFormat, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var time)
            ? new DateTimeOffset(time, TimeSpan.Zero)
            : null;
    }

    private static bool ContainsOnlyHex(this ReadOnlySpan<char> text)
    {
        foreach (var c in text)
        {
            if (!char.IsAsciiHexDigitLower(c) && !char.IsAsciiDigit(c))
            {
                return false;
            }
        }

        return true;
    }
}
