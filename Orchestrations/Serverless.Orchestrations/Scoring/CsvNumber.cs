using System.Globalization;

namespace Serverless.Orchestrations.Scoring;

/// <summary>
/// Parses a CSV number from its UTF-8 bytes to exactly the double <c>double.TryParse(text, NumberStyles.Float,
/// CultureInfo.InvariantCulture)</c> gives. Plain decimals (an optional minus, digits, an optional fraction and
/// exponent) whose digits fit 2^53 and whose power of ten is at most 22 either way take the exact fast path: both
/// operands are exact doubles, so one IEEE multiplication or division rounds correctly, as the full parser does.
/// Anything else (more digits, whitespace, a plus sign, special values) goes to the full parser.
/// </summary>
public static class CsvNumber
{
    private const long MaxExactMantissa = 1L << 53;

    private static readonly double[] PowersOfTen =
    [
        1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
        1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
    ];

    public static bool TryParse(ReadOnlySpan<byte> text, out double value) =>
        TryParseExact(text, out value) || double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out value);

    /// <summary>The fast path alone: false when the text is not a plain decimal it can convert exactly.</summary>
    public static bool TryParseExact(ReadOnlySpan<byte> text, out double value)
    {
        value = 0;
        var i = 0;
        var negative = false;
        if (text.Length > 0 && text[0] == (byte)'-')
        {
            negative = true;
            i = 1;
        }

        long mantissa = 0;
        var digits = 0;
        var scale = 0;
        var start = i;
        for (; i < text.Length && (uint)(text[i] - '0') <= 9; i++)
        {
            mantissa = (mantissa * 10) + (text[i] - '0');
            digits++;
        }

        var integerDigits = i - start;
        var fractionDigits = 0;
        if (i < text.Length && text[i] == (byte)'.')
        {
            i++;
            var fractionStart = i;
            for (; i < text.Length && (uint)(text[i] - '0') <= 9; i++)
            {
                mantissa = (mantissa * 10) + (text[i] - '0');
                digits++;
            }

            fractionDigits = i - fractionStart;
            scale = -fractionDigits;
        }

        // 18 digits always fit a long, so the loops above cannot overflow before this check (2^53 is checked below).
        if (integerDigits + fractionDigits == 0 || digits > 18)
        {
            return false;
        }

        if (i < text.Length && (text[i] | 0x20) == (byte)'e')
        {
            i++;
            var exponentNegative = false;
            if (i < text.Length && (text[i] == (byte)'-' || text[i] == (byte)'+'))
            {
                exponentNegative = text[i] == (byte)'-';
                i++;
            }

            var exponentStart = i;
            var exponent = 0;
            for (; i < text.Length && (uint)(text[i] - '0') <= 9 && i - exponentStart < 4; i++)
            {
                exponent = (exponent * 10) + (text[i] - '0');
            }

            if (i == exponentStart)
            {
                return false;
            }

            scale += exponentNegative ? -exponent : exponent;
        }

        if (i != text.Length || mantissa >= MaxExactMantissa || scale < -22 || scale > 22)
        {
            return false;
        }

        double result = mantissa;
        result = scale < 0 ? result / PowersOfTen[-scale] : result * PowersOfTen[scale];
        value = negative ? -result : result;
        return true;
    }
}
