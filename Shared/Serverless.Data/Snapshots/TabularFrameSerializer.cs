using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text;
using Serverless.Domain.Datasets;

namespace Serverless.Data.Snapshots;

/// <summary>
/// A compact, versioned binary snapshot of a <see cref="TabularFrame"/>, written and read in 64 KB blocks
/// (never the whole frame as one buffer). Layout, little-endian:
/// <c>"SLFR"</c>, version (int32 = 2), rows (int32), columns (int32); per column: name (int32 byte length + UTF-8),
/// kind (byte), storage (byte: 0 = doubles, 1 = dictionary strings, 2 = scaled decimals); doubles: rows × float64;
/// dictionary strings: distinct count (int32), each string (int32 byte length + UTF-8), then rows × int32 codes (−1 = missing);
/// scaled decimals (a numeric column whose every value is a decimal of a few digits, <see cref="ScaledDecimals"/>, half
/// the bytes and read back bit for bit): scale (byte), then rows × int32; then <c>"END!"</c>.
/// Version 1 (no scaled decimals) is still read.
/// </summary>
public static class TabularFrameSerializer
{
    public const int Version = 2;
    private const int FirstVersion = 1;
    private const int BlockSize = 64 * 1024;
    private static readonly byte[] Magic = "SLFR"u8.ToArray();
    private static readonly byte[] EndMarker = "END!"u8.ToArray();

    public static async Task WriteAsync(Stream stream, TabularFrame frame, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(frame);
        var writer = new BlockWriter(stream);
        await writer.WriteBytesAsync(Magic, cancellationToken).ConfigureAwait(false);
        await writer.WriteInt32Async(Version, cancellationToken).ConfigureAwait(false);
        await writer.WriteInt32Async(frame.RowCount, cancellationToken).ConfigureAwait(false);
        await writer.WriteInt32Async(frame.Columns.Count, cancellationToken).ConfigureAwait(false);
        foreach (var column in frame.Columns)
        {
            await writer.WriteStringAsync(column.Name, cancellationToken).ConfigureAwait(false);
            await writer.WriteByteAsync((byte)column.Kind, cancellationToken).ConfigureAwait(false);
            switch (column)
            {
                case NumericColumn numeric when ScaledDecimals.FindScale(numeric.Values) is { } scale:
                    await writer.WriteByteAsync(2, cancellationToken).ConfigureAwait(false);
                    await writer.WriteByteAsync((byte)scale, cancellationToken).ConfigureAwait(false);
                    await writer.WriteValuesAsync(Scaled(numeric.Values, scale), cancellationToken).ConfigureAwait(false);
                    break;
                case NumericColumn numeric:
                    await writer.WriteByteAsync(0, cancellationToken).ConfigureAwait(false);
                    await writer.WriteValuesAsync(numeric.Values, cancellationToken).ConfigureAwait(false);
                    break;
                case TextColumn text:
                    await writer.WriteByteAsync(1, cancellationToken).ConfigureAwait(false);
                    await WriteDictionaryAsync(writer, text.Values, cancellationToken).ConfigureAwait(false);
                    break;
                default:
                    throw new NotSupportedException($"Column '{column.Name}' has an unknown column type {column.GetType().Name}.");
            }
        }

        await writer.WriteBytesAsync(EndMarker, cancellationToken).ConfigureAwait(false);
        await writer.FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <exception cref="InvalidDataException">The stream is not a frame snapshot, is of another version, or is truncated.</exception>
    public static async Task<TabularFrame> ReadAsync(Stream stream, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(stream);
        var reader = new BlockReader(stream);
        try
        {
            if (!(await reader.ReadBytesAsync(4, cancellationToken).ConfigureAwait(false)).AsSpan().SequenceEqual(Magic))
            {
                throw new InvalidDataException("Not a frame snapshot (missing the SLFR marker).");
            }

            var version = await reader.ReadInt32Async(cancellationToken).ConfigureAwait(false);
            if (version is < FirstVersion or > Version)
            {
                throw new InvalidDataException($"Frame snapshot version {version} is not supported (expected {FirstVersion} to {Version}).");
            }

            var rows = await reader.ReadInt32Async(cancellationToken).ConfigureAwait(false);
            var count = await reader.ReadInt32Async(cancellationToken).ConfigureAwait(false);
            var columns = new List<FrameColumn>(count);
            for (var c = 0; c < count; c++)
            {
                var name = await reader.ReadStringAsync(cancellationToken).ConfigureAwait(false);
                var kind = (ColumnKind)await reader.ReadByteAsync(cancellationToken).ConfigureAwait(false);
                var storage = await reader.ReadByteAsync(cancellationToken).ConfigureAwait(false);
                columns.Add(storage switch
                {
                    0 => new NumericColumn(name, kind, await reader.ReadValuesAsync<double>(rows, cancellationToken).ConfigureAwait(false)),
                    1 => new TextColumn(name, kind, await ReadDictionaryAsync(reader, rows, cancellationToken).ConfigureAwait(false)),
                    2 when version >= 2 => new NumericColumn(name, kind, await ReadScaledAsync(reader, rows, name, cancellationToken).ConfigureAwait(false)),
                    _ => throw new InvalidDataException($"Column '{name}' has unknown storage {storage}."),
                });
            }

            if (!(await reader.ReadBytesAsync(4, cancellationToken).ConfigureAwait(false)).AsSpan().SequenceEqual(EndMarker))
            {
                throw new InvalidDataException("The frame snapshot does not end with the END! marker.");
            }

            return new TabularFrame(columns);
        }
        catch (EndOfStreamException e)
        {
            throw new InvalidDataException("The frame snapshot is truncated.", e);
        }
    }

    private static int[] Scaled(double[] values, int scale)
    {
        var power = ScaledDecimals.Power(scale);
        var codes = new int[values.Length];
        for (var i = 0; i < values.Length; i++)
        {
            codes[i] = ScaledDecimals.Encode(values[i], power);
        }

        return codes;
    }

    private static async Task<double[]> ReadScaledAsync(BlockReader reader, int rows, string name, CancellationToken cancellationToken)
    {
        var scale = await reader.ReadByteAsync(cancellationToken).ConfigureAwait(false);
        if (scale > ScaledDecimals.MaxScale)
        {
            throw new InvalidDataException($"Column '{name}' has decimal scale {scale} (at most {ScaledDecimals.MaxScale}).");
        }

        var power = ScaledDecimals.Power(scale);
        var codes = await reader.ReadValuesAsync<int>(rows, cancellationToken).ConfigureAwait(false);
        var values = new double[rows];
        for (var i = 0; i < rows; i++)
        {
            values[i] = ScaledDecimals.Decode(codes[i], power);
        }

        return values;
    }

    private static async Task WriteDictionaryAsync(BlockWriter writer, string?[] values, CancellationToken cancellationToken)
    {
        var codes = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var value in values)
        {
            if (value is not null)
            {
                codes.TryAdd(value, codes.Count);
            }
        }

        await writer.WriteInt32Async(codes.Count, cancellationToken).ConfigureAwait(false);
        foreach (var value in codes.Keys)
        {
            await writer.WriteStringAsync(value, cancellationToken).ConfigureAwait(false);
        }

        var rowCodes = new int[values.Length];
        for (var i = 0; i < values.Length; i++)
        {
            rowCodes[i] = values[i] is { } value ? codes[value] : -1;
        }

        await writer.WriteValuesAsync(rowCodes, cancellationToken).ConfigureAwait(false);
    }

    private static async Task<string?[]> ReadDictionaryAsync(BlockReader reader, int rows, CancellationToken cancellationToken)
    {
        var count = await reader.ReadInt32Async(cancellationToken).ConfigureAwait(false);
        var dictionary = new string[count];
        for (var i = 0; i < count; i++)
        {
            dictionary[i] = await reader.ReadStringAsync(cancellationToken).ConfigureAwait(false);
        }

        var codes = await reader.ReadValuesAsync<int>(rows, cancellationToken).ConfigureAwait(false);
        var values = new string?[rows];
        for (var i = 0; i < rows; i++)
        {
            values[i] = codes[i] switch
            {
                -1 => null,
                var code when code >= 0 && code < count => dictionary[code],
                var code => throw new InvalidDataException($"Row {i + 1} refers to string {code} of {count}."),
            };
        }

        return values;
    }

    /// <summary>Turns values' bytes between this machine's order and the snapshot's (little-endian) in place.</summary>
    private static void LittleEndian(Span<byte> bytes, int size)
    {
        if (!BitConverter.IsLittleEndian)
        {
            for (var i = 0; i < bytes.Length; i += size)
            {
                bytes.Slice(i, size).Reverse();
            }
        }
    }

    /// <summary>Buffers small writes into 64 KB blocks.</summary>
    private sealed class BlockWriter(Stream stream)
    {
        private readonly byte[] _buffer = new byte[BlockSize];
        private int _used;

        public ValueTask WriteByteAsync(byte value, CancellationToken ct) => WriteBytesAsync([value], ct);

        public async ValueTask WriteInt32Async(int value, CancellationToken ct)
        {
            await EnsureAsync(4, ct).ConfigureAwait(false);
            BinaryPrimitives.WriteInt32LittleEndian(_buffer.AsSpan(_used), value);
            _used += 4;
        }

        /// <summary>Whole blocks of fixed-size values: a copy of their bytes, each value's bytes reversed on big-endian machines.</summary>
        public async ValueTask WriteValuesAsync<T>(T[] values, CancellationToken ct)
            where T : unmanaged
        {
            var size = Unsafe.SizeOf<T>();
            var done = 0;
            while (done < values.Length)
            {
                await EnsureAsync(size, ct).ConfigureAwait(false);
                var n = Math.Min(values.Length - done, (BlockSize - _used) / size);
                var target = _buffer.AsSpan(_used, n * size);
                MemoryMarshal.AsBytes(values.AsSpan(done, n)).CopyTo(target);
                LittleEndian(target, size);
                _used += n * size;
                done += n;
            }
        }

        public async ValueTask WriteStringAsync(string value, CancellationToken ct)
        {
            var bytes = Encoding.UTF8.GetBytes(value);
            await WriteInt32Async(bytes.Length, ct).ConfigureAwait(false);
            await WriteBytesAsync(bytes, ct).ConfigureAwait(false);
        }

        public async ValueTask WriteBytesAsync(byte[] bytes, CancellationToken ct)
        {
            if (bytes.Length > BlockSize)
            {
                await FlushAsync(ct).ConfigureAwait(false);
                await stream.WriteAsync(bytes, ct).ConfigureAwait(false);
                return;
            }

            await EnsureAsync(bytes.Length, ct).ConfigureAwait(false);
            bytes.CopyTo(_buffer.AsSpan(_used));
            _used += bytes.Length;
        }

        public async ValueTask FlushAsync(CancellationToken ct)
        {
            if (_used > 0)
            {
                await stream.WriteAsync(_buffer.AsMemory(0, _used), ct).ConfigureAwait(false);
                _used = 0;
            }
        }

        private ValueTask EnsureAsync(int bytes, CancellationToken ct) => _used + bytes <= BlockSize ? ValueTask.CompletedTask : FlushAsync(ct);
    }

    /// <summary>Reads fixed-size values in 64 KB blocks.</summary>
    private sealed class BlockReader(Stream stream)
    {
        private readonly byte[] _block = new byte[BlockSize];

        public async ValueTask<byte[]> ReadBytesAsync(int count, CancellationToken ct)
        {
            if (count < 0)
            {
                throw new InvalidDataException($"Negative length {count}.");
            }

            var bytes = new byte[count];
            await stream.ReadExactlyAsync(bytes, ct).ConfigureAwait(false);
            return bytes;
        }

        public async ValueTask<byte> ReadByteAsync(CancellationToken ct) => (await ReadBytesAsync(1, ct).ConfigureAwait(false))[0];

        public async ValueTask<int> ReadInt32Async(CancellationToken ct)
        {
            await stream.ReadExactlyAsync(_block.AsMemory(0, 4), ct).ConfigureAwait(false);
            return BinaryPrimitives.ReadInt32LittleEndian(_block);
        }

        public async ValueTask<string> ReadStringAsync(CancellationToken ct)
        {
            var length = await ReadInt32Async(ct).ConfigureAwait(false);
            return Encoding.UTF8.GetString(await ReadBytesAsync(length, ct).ConfigureAwait(false));
        }

        /// <summary>Fixed-size values written by <see cref="BlockWriter.WriteValuesAsync{T}"/>.</summary>
        public async ValueTask<T[]> ReadValuesAsync<T>(int count, CancellationToken ct)
            where T : unmanaged
        {
            var size = Unsafe.SizeOf<T>();
            var values = new T[count];
            var done = 0;
            while (done < count)
            {
                var n = Math.Min(count - done, BlockSize / size);
                await stream.ReadExactlyAsync(_block.AsMemory(0, n * size), ct).ConfigureAwait(false);
                LittleEndian(_block.AsSpan(0, n * size), size);
                _block.AsSpan(0, n * size).CopyTo(MemoryMarshal.AsBytes(values.AsSpan(done, n)));
                done += n;
            }

            return values;
        }
    }
}
