using System.Globalization;
using System.Text;

namespace Serverless.Data.Reading;

/// <summary>
/// Reads delimited text (UTF-8, with or without BOM) straight into typed columns: the text is decoded and parsed
/// chunk by chunk and never held whole.
/// </summary>
internal sealed class CsvDatasetReader : ICsvRecordSink
{
    private const int ChunkChars = 64 * 1024;
    private readonly string _fileName;
    private readonly DatasetLimits _limits;
    private readonly List<string> _header = [];
    private readonly RowTally? _tally;
    private ColumnAccumulator[] _columns = [];
    private bool _headerDone;
    private int _fieldIndex;
    private int _rows;

    private CsvDatasetReader(string fileName, DatasetLimits limits, RowTally? tally = null)
    {
        _fileName = fileName;
        _limits = limits;
        _tally = tally;
    }

    /// <summary>A reader of a block of rows after the header, whose columns are known.</summary>
    private CsvDatasetReader(string fileName, DatasetLimits limits, RowTally tally, IReadOnlyList<string> header, IReadOnlySet<int> textColumns)
        : this(fileName, limits, tally)
    {
        _headerDone = true;
        _columns = header.Select((n, i) => new ColumnAccumulator(n, textColumns.Contains(i))).ToArray();
    }

    /// <summary>The columns of a block of a file's rows, not yet joined with the other blocks' (see <see cref="ColumnAccumulator.Join"/>).</summary>
    internal sealed record Block(IReadOnlyList<ColumnAccumulator> Columns, int Rows, bool EveryPresentFieldQuoted);

    /// <summary>
    /// Reads one block of rows of a file: the first (with the header, <paramref name="header"/> null) or a later one
    /// starting at a record boundary. Any exception means the file must be read whole, in order, for the error it names.
    /// </summary>
    /// <param name="textColumns">Columns (by index) to hold as strings from the start (see <see cref="ColumnAccumulator.Join"/>).</param>
    /// <param name="tally">The rows of every block so far, checked against the limits.</param>
    internal static Block ReadBlock(
        IEnumerable<ReadOnlyMemory<char>> chunks, string fileName, char delimiter, DatasetLimits limits, IReadOnlyList<string>? header, IReadOnlySet<int> textColumns, RowTally tally)
    {
        var reader = header is null ? new CsvDatasetReader(fileName, limits, tally) : new CsvDatasetReader(fileName, limits, tally, header, textColumns);
        var parser = new CsvRecordParser(delimiter, reader, fileName, limits.MaxFieldLength, headerRead: header is not null);
        foreach (var chunk in chunks)
        {
            parser.Feed(chunk.Span);
        }

        parser.Complete();
        tally.Add(reader._rows % RowTally.Batch, reader._columns.Length);
        return new Block(reader._columns, reader._rows, parser.EveryPresentFieldQuoted);
    }

    /// <param name="delimiter">A fixed delimiter (tab for .tsv), or null to detect it from the header line.</param>
    /// <param name="limits">Columns, rows, values and field length allowed; a file over one is refused as it is read.</param>
    public static async Task<(IReadOnlyList<RawColumn> Columns, int Rows)> ReadAsync(
        Stream stream, string fileName, char? delimiter, DatasetLimits limits, CancellationToken cancellationToken)
    {
        var reader = new CsvDatasetReader(fileName, limits);
        using var text = new StreamReader(stream, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true),
            detectEncodingFromByteOrderMarks: true, bufferSize: ChunkChars, leaveOpen: true);
        var buffer = new char[ChunkChars];
        CsvRecordParser? parser = null;
        try
        {
            int read;
            while ((read = await text.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
            {
                parser ??= new CsvRecordParser(delimiter ?? CsvDelimiter.Detect(buffer.AsSpan(0, read)), reader, fileName, limits.MaxFieldLength);
                parser.Feed(buffer.AsSpan(0, read));
            }
        }
        catch (DecoderFallbackException e)
        {
            throw new DatasetFormatException(fileName, "is not valid UTF-8 text (save it as UTF-8 CSV)", parser?.Line ?? 1, inner: e);
        }

        if (parser is null)
        {
            throw new DatasetFormatException(fileName, "is empty");
        }

        parser.Complete();
        return reader.Complete(parser.EveryPresentFieldQuoted);
    }

    public void OnField(ReadOnlySpan<char> value, bool quoted)
    {
        if (!_headerDone)
        {
            if (_header.Count == _limits.MaxColumns)
            {
                throw new DatasetFormatException(_fileName,
                    $"has more than {DatasetLimits.Format(_limits.MaxColumns)} columns, the limit (setting {DatasetLimits.Setting(nameof(DatasetLimits.MaxColumns))})", 1);
            }

            _header.Add(value.Trim().ToString());
        }
        else if (_fieldIndex < _columns.Length)
        {
            _columns[_fieldIndex].Add(value, quoted);
        }

        _fieldIndex++;
    }

    public void OnRecordEnd(long line)
    {
        var fields = _fieldIndex;
        _fieldIndex = 0;
        if (!_headerDone)
        {
            AcceptHeader(line);
            return;
        }

        if (fields != _columns.Length)
        {
            throw new DatasetFormatException(_fileName,
                $"row {_rows + 1} has {fields} fields but the header has {_columns.Length} (check the delimiter and quoting)", line);
        }

        _rows++;
        if (_tally is not null && _rows % RowTally.Batch == 0)
        {
            _tally.Add(RowTally.Batch, _columns.Length);
        }

        if (_rows > _limits.MaxRows)
        {
            throw new DatasetFormatException(_fileName,
                $"has more than {DatasetLimits.Format(_limits.MaxRows)} data rows, the limit (setting {DatasetLimits.Setting(nameof(DatasetLimits.MaxRows))})", line);
        }

        if ((long)_rows * _columns.Length > _limits.MaxCells)
        {
            throw new DatasetFormatException(_fileName,
                $"has more than {DatasetLimits.Format(_limits.MaxCells)} values (rows × columns), the limit (setting {DatasetLimits.Setting(nameof(DatasetLimits.MaxCells))})", line);
        }
    }

    /// <inheritdoc />
    public string? ColumnName(int fieldIndex) => _headerDone && fieldIndex < _columns.Length ? _columns[fieldIndex].Name : null;

    private void AcceptHeader(long line)
    {
        _headerDone = true;
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < _header.Count; i++)
        {
            var name = _header[i];
            if (name.Length == 0)
            {
                throw new DatasetFormatException(_fileName, $"header column {i + 1} has no name", line);
            }

            if (!seen.Add(name))
            {
                throw new DatasetFormatException(_fileName, $"header names column '{name}' twice (columns must be unique)", line, name);
            }
        }

        if (_header.All(n => double.TryParse(n, NumberStyles.Float, CultureInfo.InvariantCulture, out _)))
        {
            throw new DatasetFormatException(_fileName, "has no header row: the first line holds only numbers; add a line of column names", line);
        }

        _columns = _header.Select(n => new ColumnAccumulator(n)).ToArray();
    }

    private (IReadOnlyList<RawColumn> Columns, int Rows) Complete(bool everyFieldQuoted)
    {
        if (!_headerDone)
        {
            throw new DatasetFormatException(_fileName, "is empty");
        }

        if (_rows == 0)
        {
            throw new DatasetFormatException(_fileName, "has a header but no data rows");
        }

        return (_columns.Select(c => c.Complete(everyFieldQuoted)).ToList(), _rows);
    }
}
