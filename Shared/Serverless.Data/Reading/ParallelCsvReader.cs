using System.Text;
using Microsoft.Win32.SafeHandles;

namespace Serverless.Data.Reading;

/// <summary>
/// Reads a local delimited-text file in row blocks on several threads, to exactly the columns one
/// <see cref="CsvDatasetReader"/> reading it in order gives. It applies only when every line break ends a record: a
/// file with a quote character anywhere, an encoding other than UTF-8, or a problem of any kind (a ragged row, a limit,
/// invalid UTF-8, a NUL) is left to the reader in order (<c>null</c>), so errors name the same line, row and column.
/// The blocks start after a <c>\n</c> byte (never inside a UTF-8 sequence or between CR and LF), and are joined in
/// order (<see cref="ColumnAccumulator.Join"/>); a block whose column turned to strings after holding numbers, after an
/// earlier block's already had, is read again holding that column as strings, as the reader in order would.
/// </summary>
internal static class ParallelCsvReader
{
    /// <summary>Smallest block: files under two of them are read in order.</summary>
    public const long MinBlockBytes = 4L * 1024 * 1024;

    private const int ChunkBytes = 64 * 1024;
    private const byte Quote = (byte)'"';
    private const byte LineFeed = (byte)'\n';

    /// <param name="minBlockBytes">The smallest block (<see cref="MinBlockBytes"/>); up to two blocks per thread.</param>
    /// <returns>The columns and rows, or <c>null</c> when the file must be read in order.</returns>
    public static (IReadOnlyList<RawColumn> Columns, int Rows)? TryRead(
        string path, string fileName, char? delimiter, DatasetLimits limits, int maxDegreeOfParallelism, long minBlockBytes, CancellationToken cancellationToken)
    {
        using var file = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.Read);
        var length = RandomAccess.GetLength(file);
        var blockCount = (int)Math.Min(maxDegreeOfParallelism * 2L, length / minBlockBytes);
        if (maxDegreeOfParallelism < 2 || blockCount < 2 || length > limits.MaxUncompressedBytes)
        {
            return null;
        }

        if (Head(file, length, delimiter, fileName) is not { } head)
        {
            return null;
        }

        var (start, header, separator) = head;

        var bounds = Boundaries(file, start, length, blockCount);
        if (bounds.Count < 3)
        {
            return null; // no line feed to split at (one record, or CR line ends)
        }

        var tally = new RowTally(fileName, limits);
        var noTexts = new HashSet<int>();
        var blocks = ReadBlocks(file, bounds, Enumerable.Range(0, bounds.Count - 1).ToList(), _ => noTexts, fileName, separator, limits, header, tally, maxDegreeOfParallelism, cancellationToken);
        if (blocks is null)
        {
            return null;
        }

        // A column's values after the block where it first holds strings must be kept as written: such blocks are read again.
        var firstText = Enumerable.Range(0, header.Count).Select(c => Array.FindIndex(blocks, b => b.Columns[c].HoldsTexts)).ToArray();
        IReadOnlySet<int> TextsOf(int block) => Enumerable.Range(0, header.Count).Where(c => firstText[c] >= 0 && firstText[c] < block).ToHashSet();
        var again = Enumerable.Range(1, blocks.Length - 1).Where(b => TextsOf(b).Any(c => !blocks[b].Columns[c].HoldsTextsAsWritten)).ToList();
        if (again.Count > 0)
        {
            var reread = ReadBlocks(file, bounds, again, TextsOf, fileName, separator, limits, header, new RowTally(fileName, limits), maxDegreeOfParallelism, cancellationToken);
            if (reread is null)
            {
                return null;
            }

            foreach (var b in again)
            {
                blocks[b] = reread[b];
            }
        }

        var rows = blocks.Sum(b => (long)b.Rows);
        if (rows == 0 || rows > limits.MaxRows || rows * header.Count > limits.MaxCells)
        {
            return null;
        }

        var everyFieldQuoted = blocks.All(b => b.EveryPresentFieldQuoted);
        var columns = Enumerable.Range(0, header.Count).Select(c => ColumnAccumulator.Join([.. blocks.Select(b => b.Columns[c])], everyFieldQuoted)).ToList();
        return (columns, (int)rows);
    }

    /// <summary>
    /// Where the text starts (after a UTF-8 byte order mark), the header's names and the delimiter (<paramref name="delimiter"/>,
    /// else the one the header line shows, as <see cref="CsvDatasetReader"/> detects it); null when the file starts with another byte order mark, or its header is not within the first chunk
    /// free of quotes.
    /// </summary>
    private static (long Start, IReadOnlyList<string> Header, char Delimiter)? Head(SafeFileHandle file, long length, char? delimiter, string fileName)
    {
        var head = new byte[(int)Math.Min(ChunkBytes, length)];
        RandomAccess.Read(file, head, 0);
        ReadOnlySpan<byte> span = head;
        if (span.StartsWith((ReadOnlySpan<byte>)[0xFE, 0xFF]) || span.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xFE]) || span.StartsWith((ReadOnlySpan<byte>)[0, 0, 0xFE, 0xFF]))
        {
            return null;
        }

        var start = span.StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF]) ? 3 : 0;
        var lines = span[start..(span.LastIndexOf(LineFeed) + 1)];
        if (lines.IsEmpty || lines.Contains(Quote))
        {
            return null;
        }

        try
        {
            var text = new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(lines);
            var separator = delimiter ?? CsvDelimiter.Detect(text);
            var sink = new HeaderSink();
            new CsvRecordParser(separator, sink, fileName).Feed(text);
            return sink.Done ? (start, sink.Names, separator) : null;
        }
        catch (Exception e) when (e is DatasetFormatException or DecoderFallbackException)
        {
            return null;
        }
    }

    /// <summary>Block starts: <paramref name="start"/>, then the byte after the first line feed at or after each even share of the file; then its end.</summary>
    private static List<long> Boundaries(SafeFileHandle file, long start, long length, int blockCount)
    {
        var bounds = new List<long> { start };
        var buffer = new byte[ChunkBytes];
        for (var k = 1; k < blockCount; k++)
        {
            var at = Math.Max(length * k / blockCount, bounds[^1]);
            while (at < length)
            {
                var read = RandomAccess.Read(file, buffer.AsSpan(0, (int)Math.Min(ChunkBytes, length - at)), at);
                var newline = buffer.AsSpan(0, read).IndexOf(LineFeed);
                if (newline >= 0)
                {
                    at += newline + 1;
                    break;
                }

                at += read;
            }

            if (at < length && at > bounds[^1])
            {
                bounds.Add(at);
            }
        }

        bounds.Add(length);
        return bounds;
    }

    /// <summary>Reads the <paramref name="which"/> blocks at once; null when any cannot be read in blocks (the others then stop).</summary>
    private static CsvDatasetReader.Block[]? ReadBlocks(
        SafeFileHandle file,
        List<long> bounds,
        List<int> which,
        Func<int, IReadOnlySet<int>> textColumns,
        string fileName,
        char delimiter,
        DatasetLimits limits,
        IReadOnlyList<string> header,
        RowTally tally,
        int maxDegreeOfParallelism,
        CancellationToken cancellationToken)
    {
        var blocks = new CsvDatasetReader.Block[bounds.Count - 1];
        using var abandon = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var failed = false;
        try
        {
            Parallel.ForEach(which, new ParallelOptions { MaxDegreeOfParallelism = maxDegreeOfParallelism }, b =>
            {
                try
                {
                    var chunks = Chunks(file, bounds[b], bounds[b + 1], b == bounds.Count - 2, fileName, abandon.Token);
                    blocks[b] = CsvDatasetReader.ReadBlock(chunks, fileName, delimiter, limits, b == 0 ? null : header, textColumns(b), tally);
                }
                catch (Exception e) when (e is DatasetFormatException or DecoderFallbackException || (e is OperationCanceledException && !cancellationToken.IsCancellationRequested))
                {
                    failed = true;
                    abandon.Cancel();
                }
            });
        }
        catch (AggregateException e) when (e.InnerExceptions.All(x => x is OperationCanceledException))
        {
            cancellationToken.ThrowIfCancellationRequested();
            throw;
        }

        return failed ? null : blocks;
    }

    /// <summary>The text of bytes [<paramref name="from"/>, <paramref name="to"/>), decoded as UTF-8 chunk by chunk.</summary>
    /// <exception cref="DatasetFormatException">The bytes hold a quote character: the file is read in order.</exception>
    private static IEnumerable<ReadOnlyMemory<char>> Chunks(SafeFileHandle file, long from, long to, bool last, string fileName, CancellationToken cancellationToken)
    {
        var decoder = new UTF8Encoding(false, throwOnInvalidBytes: true).GetDecoder();
        var bytes = new byte[ChunkBytes];
        var chars = new char[ChunkBytes + 1];
        for (var at = from; at < to;)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var read = RandomAccess.Read(file, bytes.AsSpan(0, (int)Math.Min(ChunkBytes, to - at)), at);
            if (read == 0)
            {
                throw new DatasetFormatException(fileName, "changed while it was read");
            }

            if (bytes.AsSpan(0, read).Contains(Quote))
            {
                throw new DatasetFormatException(fileName, "holds quotes");
            }

            at += read;
            var count = decoder.GetChars(bytes, 0, read, chars, 0, flush: last && at == to);
            yield return chars.AsMemory(0, count);
        }
    }

    /// <summary>Keeps the names of the first record (the header), trimmed as <see cref="CsvDatasetReader"/> keeps them.</summary>
    private sealed class HeaderSink : ICsvRecordSink
    {
        public List<string> Names { get; } = [];

        public bool Done { get; private set; }

        public void OnField(ReadOnlySpan<char> value, bool quoted)
        {
            if (!Done)
            {
                Names.Add(value.Trim().ToString());
            }
        }

        public void OnRecordEnd(long line) => Done = true;

        public string? ColumnName(int fieldIndex) => null;
    }
}
