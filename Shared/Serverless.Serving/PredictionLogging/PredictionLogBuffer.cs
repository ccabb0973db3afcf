namespace Serverless.Serving.PredictionLogging;

/// <summary>
/// The prediction log's buffered lines: each request copies its serialized lines into the open chunk of their segment
/// (a short lock, no allocation once the chunks are warm); the writer takes sealed chunks for a batch and gives them
/// back once appended, so their buffers are reused. Nothing of a request (frame, predictions, ids, entries) is kept
/// until the flush: every per-request object dies young, and the GC never promotes the log's backlog.
/// </summary>
internal sealed class PredictionLogBuffer(int maxLinesPerChunk)
{
    /// <summary>Bytes per chunk: below the large object heap's threshold (85,000 bytes).</summary>
    internal const int ChunkBytes = 64 * 1024;

    /// <summary>Free chunks kept for reuse (beyond this, a returned chunk is left to the GC).</summary>
    private const int MaxFreeChunks = 512;

    private readonly Lock _lock = new();
    private readonly Dictionary<PredictionLogSegmentKey, PredictionLogChunk> _open = [];
    private readonly Queue<PredictionLogChunk> _sealed = new();
    private readonly Stack<PredictionLogChunk> _free = new();

    /// <summary>Appends one line (ending with <c>\n</c>) to its segment's open chunk.</summary>
    public void Append(PredictionLogSegmentKey segment, ReadOnlySpan<byte> line)
    {
        lock (_lock)
        {
            if (_open.TryGetValue(segment, out var open))
            {
                if (open.TryAppend(line, maxLinesPerChunk))
                {
                    return;
                }

                _sealed.Enqueue(open);
            }

            var chunk = line.Length <= ChunkBytes && _free.TryPop(out var free)
                ? Reuse(free, segment)
                : new PredictionLogChunk(segment, new byte[Math.Max(ChunkBytes, line.Length)]);
            chunk.TryAppend(line, maxLinesPerChunk);
            _open[segment] = chunk;
        }
    }

    /// <summary>
    /// Moves chunks into <paramref name="batch"/> (sealing the open ones first) while the batch stays within
    /// <paramref name="maxLines"/> lines; returns the lines taken.
    /// </summary>
    public int Take(int maxLines, List<PredictionLogChunk> batch)
    {
        var taken = 0;
        lock (_lock)
        {
            if (_open.Count > 0)
            {
                foreach (var open in _open.Values)
                {
                    _sealed.Enqueue(open);
                }

                _open.Clear();
            }

            while (_sealed.TryPeek(out var next) && (taken == 0 || taken + next.Count <= maxLines))
            {
                batch.Add(_sealed.Dequeue());
                taken += next.Count;
            }
        }

        return taken;
    }

    /// <summary>Gives appended chunks back for reuse.</summary>
    public void Return(List<PredictionLogChunk> chunks)
    {
        lock (_lock)
        {
            foreach (var chunk in chunks)
            {
                if (chunk.Buffer.Length == ChunkBytes && _free.Count < MaxFreeChunks)
                {
                    _free.Push(chunk);
                }
            }
        }
    }

    private static PredictionLogChunk Reuse(PredictionLogChunk chunk, PredictionLogSegmentKey segment)
    {
        chunk.Reset(segment);
        return chunk;
    }
}
