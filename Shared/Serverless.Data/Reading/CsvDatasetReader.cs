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
    private readonly List<string> _header = [];
    private ColumnAccumulator[] _columns = [];
    private bool _headerDone;
    private int _fieldIndex;
    private int _rows;

    private CsvDatasetReader(string fileName) => _fileName = fileName;

    /// <param name="delimiter">A fixed delimiter (tab for .tsv), or null to detect it from the header line.</param>
    public static async Task<(IReadOnlyList<RawColumn> Columns, int Rows)> ReadAsync(
        Stream stream, string fileName, char? delimiter, CancellationToken cancellationToken)
    {
        var reader = new CsvDatasetReader(fileName);
        using var text = new StreamReader(stream, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true),
            detectEncodingFromByteOrderMarks: true, bufferSize: ChunkChars, leaveOpen: true);
        var buffer = new char[ChunkChars];
        CsvRecordParser? parser = null;
        try
        {
            int read;
            while ((read = await text.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
            {
                parser ??= new CsvRecordParser(delimiter ?? CsvDelimiter.Detect(buffer.AsSpan(0, read)), reader, fileName);
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
    }

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
