namespace Serverless.Serving.PredictionLogging;

/// <summary>
/// Lines of one segment (model, version, UTC hour) serialized when the predictions were made: JSON Lines in a reused
/// buffer, so what waits for the next append is a few large buffers rather than every request's frame and predictions.
/// </summary>
public sealed class PredictionLogChunk
{
    private readonly byte[] _buffer;

    internal PredictionLogChunk(PredictionLogSegmentKey segment, byte[] buffer)
    {
        Segment = segment;
        _buffer = buffer;
    }

    /// <summary>The segment the lines belong to.</summary>
    public PredictionLogSegmentKey Segment { get; private set; }

    /// <summary>The lines, each ending with <c>\n</c>.</summary>
    public ReadOnlyMemory<byte> Lines => _buffer.AsMemory(0, Length);

    /// <summary>How many lines (predictions) the chunk holds.</summary>
    public int Count { get; private set; }

    internal int Length { get; private set; }

    internal byte[] Buffer => _buffer;

    /// <summary>Copies a line in when it fits (in bytes, and under <paramref name="maxLines"/> lines).</summary>
    internal bool TryAppend(ReadOnlySpan<byte> line, int maxLines)
    {
        if (Count >= maxLines || line.Length > _buffer.Length - Length)
        {
            return false;
        }

        line.CopyTo(_buffer.AsSpan(Length));
        Length += line.Length;
        Count++;
        return true;
    }

    /// <summary>Empties the chunk for another segment (its buffer kept).</summary>
    internal void Reset(PredictionLogSegmentKey segment)
    {
        Segment = segment;
        Length = 0;
        Count = 0;
    }
}
