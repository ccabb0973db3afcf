namespace Serverless.Data.Tests;

/// <summary>
/// A read-only stream of <paramref name="prefix"/>, then <paramref name="unit"/> repeated until
/// <paramref name="repeatedLength"/> bytes, then <paramref name="suffix"/>: large inputs made as they are read,
/// never held in memory.
/// </summary>
internal sealed class GeneratedStream(byte[] prefix, byte[] unit, long repeatedLength, byte[] suffix) : Stream
{
    private long _position;

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => prefix.Length + repeatedLength + suffix.Length;

    public override long Position
    {
        get => _position;
        set => throw new NotSupportedException();
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        var written = 0;
        while (written < buffer.Length && _position < Length)
        {
            var target = buffer[written..];
            int n;
            if (_position < prefix.Length)
            {
                n = Math.Min(target.Length, prefix.Length - (int)_position);
                prefix.AsSpan((int)_position, n).CopyTo(target);
            }
            else if (_position < prefix.Length + repeatedLength)
            {
                var offsetInRepeat = _position - prefix.Length;
                var inUnit = (int)(offsetInRepeat % unit.Length);
                n = (int)Math.Min(Math.Min(target.Length, unit.Length - inUnit), repeatedLength - offsetInRepeat);
                unit.AsSpan(inUnit, n).CopyTo(target);
            }
            else
            {
                var inSuffix = (int)(_position - prefix.Length - repeatedLength);
                n = Math.Min(target.Length, suffix.Length - inSuffix);
                suffix.AsSpan(inSuffix, n).CopyTo(target);
            }

            written += n;
            _position += n;
        }

        return written;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        Task.FromResult(Read(buffer.AsSpan(offset, count)));

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(Read(buffer.Span));

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
