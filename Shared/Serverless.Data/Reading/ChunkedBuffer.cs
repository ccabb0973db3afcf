namespace Serverless.Data.Reading;

/// <summary>
/// An append-only list kept in small blocks (under the large-object-heap threshold), so a growing column never
/// copies itself or leaves large garbage behind; <see cref="CopyTo"/> fills the one exact-size array.
/// </summary>
internal sealed class ChunkedBuffer<T>
{
    private const int BlockLength = 8 * 1024;
    private readonly List<T[]> _blocks = [];
    private int _lastCount = BlockLength;

    public int Count => _blocks.Count == 0 ? 0 : ((_blocks.Count - 1) * BlockLength) + _lastCount;

    public T this[int index] => _blocks[index / BlockLength][index % BlockLength];

    public void Add(T value)
    {
        if (_lastCount == BlockLength)
        {
            _blocks.Add(new T[BlockLength]);
            _lastCount = 0;
        }

        _blocks[^1][_lastCount++] = value;
    }

    /// <summary>Copies the values to the start of <paramref name="destination"/>.</summary>
    /// <returns>How many values were copied (<see cref="Count"/>).</returns>
    public int CopyTo(Span<T> destination)
    {
        for (var b = 0; b < _blocks.Count; b++)
        {
            var length = b == _blocks.Count - 1 ? _lastCount : BlockLength;
            _blocks[b].AsSpan(0, length).CopyTo(destination[(b * BlockLength)..]);
        }

        return Count;
    }
}
