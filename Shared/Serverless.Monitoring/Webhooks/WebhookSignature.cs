using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Serverless.Monitoring.Webhooks;

/// <summary>
/// Signs and verifies webhook deliveries.
/// </summary>
/// <remarks>
/// Scheme: the sender sets <c>x-mlops-timestamp</c> to the Unix time in seconds of the attempt, and
/// <c>x-mlops-signature</c> to <c>sha256=</c> followed by the lowercase hex HMAC-SHA256, keyed with the UTF-8
/// bytes of the shared secret, of the bytes <c>{timestamp}.{raw body}</c> (the timestamp's decimal digits, a dot,
/// then the raw request body exactly as received). A receiver recomputes the HMAC over the same bytes, compares in
/// constant time, and rejects timestamps further than the tolerance (default 5 minutes) from its clock, so a
/// captured delivery cannot be replayed later. Each retry is signed afresh with its own timestamp; the event
/// <c>id</c> stays the same, so receivers can also deduplicate.
/// </remarks>
public static class WebhookSignature
{
    public const string SignatureHeader = "x-mlops-signature";
    public const string TimestampHeader = "x-mlops-timestamp";
    public const string EventIdHeader = "x-mlops-event-id";
    public const string EventTypeHeader = "x-mlops-event-type";

    /// <summary>The event id again, under the conventional idempotency header: the same for every retry and redelivery of an event.</summary>
    public const string IdempotencyKeyHeader = "Idempotency-Key";
    public const string Prefix = "sha256=";

    /// <summary>How far a delivery's timestamp may be from the receiver's clock by default.</summary>
    public static readonly TimeSpan DefaultTolerance = TimeSpan.FromMinutes(5);

    /// <summary>The <c>x-mlops-signature</c> value for a body sent at <paramref name="unixSeconds"/>.</summary>
    public static string Sign(string secret, long unixSeconds, ReadOnlySpan<byte> body)
    {
        ArgumentException.ThrowIfNullOrEmpty(secret);
        return Prefix + Convert.ToHexStringLower(Hmac(secret, unixSeconds, body));
    }

    /// <summary>
    /// Verifies a delivery from its raw body and headers (names compared case-insensitively).
    /// Returns false when a header is missing or malformed, the timestamp is outside the tolerance, or the signature differs.
    /// </summary>
    public static bool Verify(string secret, ReadOnlySpan<byte> body, IEnumerable<KeyValuePair<string, string>> headers, TimeProvider? time = null, TimeSpan? tolerance = null)
    {
        ArgumentNullException.ThrowIfNull(headers);
        string? signature = null;
        string? timestamp = null;
        foreach (var (name, value) in headers)
        {
            if (string.Equals(name, SignatureHeader, StringComparison.OrdinalIgnoreCase))
            {
                signature = value;
            }
            else if (string.Equals(name, TimestampHeader, StringComparison.OrdinalIgnoreCase))
            {
                timestamp = value;
            }
        }

        return Verify(secret, body, signature, timestamp, (time ?? TimeProvider.System).GetUtcNow(), tolerance ?? DefaultTolerance);
    }

    /// <summary>Verifies a delivery from the two header values and the receiver's current time.</summary>
    public static bool Verify(string secret, ReadOnlySpan<byte> body, string? signatureHeader, string? timestampHeader, DateTimeOffset now, TimeSpan tolerance)
    {
        ArgumentException.ThrowIfNullOrEmpty(secret);
        if (signatureHeader is null || timestampHeader is null || !signatureHeader.StartsWith(Prefix, StringComparison.Ordinal)
            || !long.TryParse(timestampHeader, NumberStyles.None, CultureInfo.InvariantCulture, out var unixSeconds))
        {
            return false;
        }

        if (Math.Abs(now.ToUnixTimeSeconds() - unixSeconds) > tolerance.TotalSeconds)
        {
            return false;
        }

        byte[] received;
        try
        {
            received = Convert.FromHexString(signatureHeader.AsSpan(Prefix.Length));
        }
        catch (FormatException)
        {
            return false;
        }

        return CryptographicOperations.FixedTimeEquals(received, Hmac(secret, unixSeconds, body));
    }

    private static byte[] Hmac(string secret, long unixSeconds, ReadOnlySpan<byte> body)
    {
        var prefix = Encoding.UTF8.GetBytes(unixSeconds.ToString(CultureInfo.InvariantCulture) + ".");
        var content = new byte[prefix.Length + body.Length];
        prefix.CopyTo(content, 0);
        body.CopyTo(content.AsSpan(prefix.Length));
        return HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), content);
    }
}
