namespace Serverless.Orchestrations.Scoring;

/// <summary>
/// Finds where CSV records end while streaming bytes (quote-aware: a newline inside quotes is part of a field), so a
/// file can be cut into row ranges without parsing it. <see cref="Feed"/> reports each record end's byte offset.
/// </summary>
public sealed class CsvRowBoundaries
{
    private bool _inQuotes;
    private long _position;

    /// <summary>Scans <paramref name="bytes"/> and calls <paramref name="onRecordEnd"/> with the offset just after each <c>\n</c> ending a record.</summary>
    public void Feed(ReadOnlySpan<byte> bytes, Action<long> onRecordEnd)
    {
        ArgumentNullException.ThrowIfNull(onRecordEnd);
        for (var i = 0; i < bytes.Length; i++)
        {
            var b = bytes[i];
            if (b == (byte)'"')
            {
                _inQuotes = !_inQuotes;
            }
            else if (b == (byte)'\n' && !_inQuotes)
            {
                onRecordEnd(_position + i + 1);
            }
        }

        _position += bytes.Length;
    }

    /// <summary>Bytes fed so far.</summary>
    public long Position => _position;
}
