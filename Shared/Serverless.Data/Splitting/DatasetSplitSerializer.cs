using System.Buffers.Binary;

namespace Serverless.Data.Splitting;

/// <summary>
/// A split as a small binary artifact: the row indexes of train, validation and test over the dataset's one frame
/// (magic <c>SPLIT1</c>, the seed, then each part as a count and little-endian 32-bit indexes). A run keeps this instead
/// of three copies of the data.
/// </summary>
public static class DatasetSplitSerializer
{
    private static ReadOnlySpan<byte> Magic => "SPLIT1"u8;

    public static byte[] Write(DatasetSplit split)
    {
        ArgumentNullException.ThrowIfNull(split);
        var bytes = new byte[Magic.Length + 4 + (3 * 4) + ((split.Train.Length + split.Validation.Length + split.Test.Length) * 4)];
        Magic.CopyTo(bytes);
        var at = Magic.Length;
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(at), split.Seed);
        at += 4;
        foreach (var part in new[] { split.Train, split.Validation, split.Test })
        {
            BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(at), part.Length);
            at += 4;
            foreach (var row in part)
            {
                BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(at), row);
                at += 4;
            }
        }

        return bytes;
    }

    /// <exception cref="InvalidDataException">The bytes are not a split written by <see cref="Write"/>, or an index is outside <paramref name="rowCount"/>.</exception>
    public static DatasetSplit Read(ReadOnlySpan<byte> bytes, int rowCount)
    {
        if (bytes.Length < Magic.Length + 16 || !bytes[..Magic.Length].SequenceEqual(Magic))
        {
            throw new InvalidDataException("Not a dataset split artifact (no SPLIT1 header).");
        }

        var at = Magic.Length;
        var seed = BinaryPrimitives.ReadInt32LittleEndian(bytes[at..]);
        at += 4;
        var parts = new int[3][];
        for (var p = 0; p < parts.Length; p++)
        {
            var count = BinaryPrimitives.ReadInt32LittleEndian(bytes[at..]);
            at += 4;
            if (count < 0 || (long)count * 4 > bytes.Length - at)
            {
                throw new InvalidDataException($"Dataset split artifact is truncated (part {p} claims {count} rows).");
            }

            var rows = new int[count];
            for (var i = 0; i < count; i++, at += 4)
            {
                rows[i] = BinaryPrimitives.ReadInt32LittleEndian(bytes[at..]);
                if ((uint)rows[i] >= (uint)rowCount)
                {
                    throw new InvalidDataException($"Dataset split artifact names row {rows[i]}; the frame has {rowCount} rows.");
                }
            }

            parts[p] = rows;
        }

        return new DatasetSplit(parts[0], parts[1], parts[2], seed);
    }
}
