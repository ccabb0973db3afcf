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

        // Vectorised: jump to the next quote (inside quotes) or quote/newline (outside), not byte by byte.
        var i = 0;
        while (i < bytes.Length)
        {
            var next = _inQuotes ? bytes[i..].IndexOf((byte)'"') : bytes[i..].IndexOfAny((byte)'"', (byte)'\n');
            if (next < 0)
            {
                break;
            }

            i += next;
            if (bytes[i] == (byte)'"')
            {
                _inQuotes = !_inQuotes;
            }
            else
            {
                onRecordEnd(_position + i + 1);
            }

            i++;
        }

        _position += bytes.Length;
    }

    /// <summary>Bytes fed so far.</summary>
    public long Position => _position;
}
