namespace Serverless.Data.Snapshots;

/// <summary>
/// A lossless 4-byte form of a numeric column whose values are decimals with at most <see cref="MaxScale"/> digits
/// after the point (as read from CSV: <c>-0.1234</c>): each value <c>v</c> is the integer <c>m = v × 10^k</c> for one
/// scale <c>k</c> per column, and <c>m / 10^k</c> gives back exactly <c>v</c>, bit for bit: both are the double nearest
/// the same decimal (IEEE division and parsing both round correctly), and every value is checked before the form is
/// used. Missing (NaN) and negative zero have codes of their own.
/// </summary>
internal static class ScaledDecimals
{
    public const int MaxScale = 9;
    public const int Missing = int.MinValue;
    public const int NegativeZero = int.MinValue + 1;
    private static readonly double[] Powers = [1, 10, 100, 1_000, 10_000, 100_000, 1_000_000, 10_000_000, 100_000_000, 1_000_000_000];
    private static readonly long MissingBits = BitConverter.DoubleToInt64Bits(double.NaN);
    private static readonly long NegativeZeroBits = BitConverter.DoubleToInt64Bits(-0.0);

    /// <summary>The smallest scale at which every value round-trips, or null when none does (the column stays 8-byte doubles).</summary>
    public static int? FindScale(ReadOnlySpan<double> values)
    {
        for (var scale = 0; scale <= MaxScale; scale++)
        {
            // Most columns fail a too-small scale within their first values, so each scale costs little until the right one.
            var power = Power(scale);
            var fits = true;
            foreach (var value in values)
            {
                if (!TryEncode(value, power, out _))
                {
                    fits = false;
                    break;
                }
            }

            if (fits)
            {
                return scale;
            }
        }

        return null;
    }

    /// <summary>10^<paramref name="scale"/>, exact as a double.</summary>
    public static double Power(int scale) => Powers[scale];

    public static int Encode(double value, double power) =>
        TryEncode(value, power, out var code) ? code : throw new ArgumentException($"{value} is not a decimal at this scale.", nameof(value));

    public static double Decode(int code, double power) => code switch
    {
        Missing => double.NaN,
        NegativeZero => -0.0,
        _ => code / power,
    };

    private static bool TryEncode(double value, double power, out int code)
    {
        var bits = BitConverter.DoubleToInt64Bits(value);
        if (bits == MissingBits)
        {
            code = Missing;
            return true;
        }

        if (bits == NegativeZeroBits)
        {
            code = NegativeZero;
            return true;
        }

        var scaled = Math.Round(value * power);
        if (!(scaled > NegativeZero && scaled <= int.MaxValue))
        {
            code = 0;
            return false; // out of range, or a NaN of another payload, or infinite
        }

        code = (int)scaled;
        return BitConverter.DoubleToInt64Bits(code / power) == bits;
    }
}
