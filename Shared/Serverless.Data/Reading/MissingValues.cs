namespace Serverless.Data.Reading;

/// <summary>The cell texts that mean "no value": empty, <c>NA</c>, <c>N/A</c>, <c>null</c>, <c>NaN</c>, <c>?</c> (any case, surrounding spaces ignored).</summary>
public static class MissingValues
{
    public static bool IsMissing(ReadOnlySpan<char> cell)
    {
        var text = cell.Trim();
        return text.Length switch
        {
            0 => true,
            1 => text[0] == '?',
            2 => text.Equals("NA", StringComparison.OrdinalIgnoreCase),
            3 => text.Equals("N/A", StringComparison.OrdinalIgnoreCase) || text.Equals("NaN", StringComparison.OrdinalIgnoreCase),
            4 => text.Equals("null", StringComparison.OrdinalIgnoreCase),
            _ => false,
        };
    }
}
