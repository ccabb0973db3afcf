using System.Buffers;
using System.Globalization;
using System.Text;

namespace Serverless.Orchestrations.Scoring;

/// <summary>
/// A chunk's CSV output as UTF-8 in one pooled buffer that grows by renting a larger one: input bytes copied as they
/// came, numbers formatted in place (no string per value). Return it with <see cref="Dispose"/>.
/// </summary>
public sealed class Utf8CsvBuffer(int capacity) : IDisposable
{
    private byte[] _buffer = ArrayPool<byte>.Shared.Rent(Math.Max(capacity, 256));

    public int Length { get; private set; }

    public ReadOnlyMemory<byte> Written => _buffer.AsMemory(0, Length);

    public Utf8CsvBuffer Append(ReadOnlySpan<byte> bytes)
    {
        bytes.CopyTo(Reserve(bytes.Length));
        Length += bytes.Length;
        return this;
    }

    public Utf8CsvBuffer Append(byte ascii)
    {
        Reserve(1)[0] = ascii;
        Length++;
        return this;
    }

    public Utf8CsvBuffer Append(long value)
    {
        if (!value.TryFormat(Reserve(20), out var written, default, CultureInfo.InvariantCulture))
        {
            throw new InvalidOperationException("A long did not fit 20 bytes.");
        }

        Length += written;
        return this;
    }

    /// <summary>The shortest round-trip form (<c>R</c>, as <c>float.ToString</c>), nothing for NaN or infinity.</summary>
    public Utf8CsvBuffer AppendValue(float value)
    {
        if (float.IsFinite(value))
        {
            if (!value.TryFormat(Reserve(32), out var written, "R", CultureInfo.InvariantCulture))
            {
                throw new InvalidOperationException("A float did not fit 32 bytes.");
            }

            Length += written;
        }

        return this;
    }

    /// <summary>A text field, quoted when it holds a comma, quote or line break (as <see cref="CsvRecord.Append"/>).</summary>
    public Utf8CsvBuffer AppendField(string field)
    {
        ArgumentNullException.ThrowIfNull(field);
        if (field.AsSpan().IndexOfAny(",\"\r\n") >= 0)
        {
            field = "\"" + field.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
        }

        var written = Encoding.UTF8.GetBytes(field, Reserve(Encoding.UTF8.GetMaxByteCount(field.Length)));
        Length += written;
        return this;
    }

    public void Dispose()
    {
        var buffer = _buffer;
        _buffer = [];
        if (buffer.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private Span<byte> Reserve(int count)
    {
        if (_buffer.Length - Length < count)
        {
            var larger = ArrayPool<byte>.Shared.Rent(Math.Max(_buffer.Length * 2, Length + count));
            _buffer.AsSpan(0, Length).CopyTo(larger);
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = larger;
        }

        return _buffer.AsSpan(Length);
    }
}
