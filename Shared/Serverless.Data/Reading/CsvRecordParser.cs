using System.Buffers;

namespace Serverless.Data.Reading;

/// <summary>
/// An RFC 4180 state machine fed chunk by chunk: quoted fields may hold delimiters, doubled quotes and line
/// breaks; CRLF, LF and CR end records; blank lines are skipped. It never holds more than one field in memory,
/// and refuses a field longer than <paramref name="maxFieldLength"/> characters as soon as it grows past it.
/// </summary>
/// <param name="headerRead">The text starts after the header (a block of a file's rows): its first record is data.</param>
internal sealed class CsvRecordParser(char delimiter, ICsvRecordSink sink, string fileName, int maxFieldLength = int.MaxValue, bool headerRead = false)
{
    private enum State
    {
        FieldStart,
        Unquoted,
        Quoted,
        QuoteInQuoted,
    }

    private readonly SearchValues<char> _unquotedStops = SearchValues.Create([delimiter, '\n', '\r', '\0']);
    private readonly SearchValues<char> _quotedStops = SearchValues.Create(['"', '\n', '\0']);
    private char[] _field = new char[256];
    private int _length;
    private State _state = State.FieldStart;
    private bool _quoted;
    private int _fieldsInRecord;
    private bool _afterCarriageReturn;
    private long _recordLine = 1;
    private long _quoteLine;

    /// <summary>The current 1-based line of the file.</summary>
    public long Line { get; private set; } = 1;

    /// <summary>No data field so far was present and unquoted (a "quote all" file).</summary>
    public bool EveryPresentFieldQuoted { get; private set; } = true;

    public long RecordsSeen { get; private set; } = headerRead ? 1 : 0;

    public void Feed(ReadOnlySpan<char> chunk)
    {
        for (var i = 0; i < chunk.Length; i++)
        {
            if (!_afterCarriageReturn && _state is State.Unquoted or State.Quoted)
            {
                // Fast path: copy the run of ordinary characters up to the next one that matters.
                var rest = chunk[i..];
                var stop = rest.IndexOfAny(_state == State.Unquoted ? _unquotedStops : _quotedStops);
                var run = stop < 0 ? rest : rest[..stop];
                AppendRange(run);
                i += run.Length;
                if (stop < 0)
                {
                    break;
                }
            }

            var c = chunk[i];
            if (c == '\0')
            {
                throw new DatasetFormatException(fileName, "contains a NUL character: this is binary data, not a UTF-8 text file", Line);
            }

            if (_afterCarriageReturn)
            {
                _afterCarriageReturn = false;
                if (c == '\n')
                {
                    continue;
                }
            }

            switch (_state)
            {
                case State.FieldStart:
                    if (c == '"')
                    {
                        _state = State.Quoted;
                        _quoted = true;
                        _quoteLine = Line;
                    }
                    else if (c == delimiter)
                    {
                        EndField();
                    }
                    else if (c is '\n' or '\r')
                    {
                        EndRecord(c);
                    }
                    else
                    {
                        _state = State.Unquoted;
                        Append(c);
                    }

                    break;
                case State.Unquoted:
                    if (c == delimiter)
                    {
                        EndField();
                    }
                    else if (c is '\n' or '\r')
                    {
                        EndRecord(c);
                    }
                    else
                    {
                        Append(c);
                    }

                    break;
                case State.Quoted:
                    if (c == '"')
                    {
                        _state = State.QuoteInQuoted;
                    }
                    else
                    {
                        if (c == '\n')
                        {
                            Line++;
                        }

                        Append(c);
                    }

                    break;
                case State.QuoteInQuoted:
                    if (c == '"')
                    {
                        Append('"');
                        _state = State.Quoted;
                    }
                    else if (c == delimiter)
                    {
                        EndField();
                    }
                    else if (c is '\n' or '\r')
                    {
                        EndRecord(c);
                    }
                    else
                    {
                        // Lenient, as spreadsheets: text after a closing quote joins the field.
                        Append(c);
                        _state = State.Unquoted;
                    }

                    break;
            }
        }
    }

    /// <summary>Ends the last record (a file need not end with a line break).</summary>
    public void Complete()
    {
        if (_state == State.Quoted)
        {
            throw new DatasetFormatException(fileName, "a quoted field is never closed (missing closing quote)", _quoteLine);
        }

        if (_state != State.FieldStart || _fieldsInRecord > 0)
        {
            EndField();
            FinishRecord();
        }
    }

    private void Append(char c)
    {
        if (_length == maxFieldLength)
        {
            throw FieldTooLong();
        }

        if (_length == _field.Length)
        {
            Array.Resize(ref _field, _field.Length * 2);
        }

        _field[_length++] = c;
    }

    private void AppendRange(ReadOnlySpan<char> run)
    {
        if (run.Length > maxFieldLength - _length)
        {
            throw FieldTooLong();
        }

        if (_length + run.Length > _field.Length)
        {
            Array.Resize(ref _field, Math.Max(_field.Length * 2, _length + run.Length));
        }

        run.CopyTo(_field.AsSpan(_length));
        _length += run.Length;
    }

    private DatasetFormatException FieldTooLong()
    {
        var where = RecordsSeen == 0 ? "the header" : $"row {RecordsSeen}";
        return new DatasetFormatException(fileName,
            $"{where} has a field longer than {DatasetLimits.Format(maxFieldLength)} characters, the limit (setting {DatasetLimits.Setting(nameof(DatasetLimits.MaxFieldLength))})",
            _recordLine, sink.ColumnName(_fieldsInRecord));
    }

    private void EndField()
    {
        if (RecordsSeen > 0 && !_quoted && _length > 0)
        {
            EveryPresentFieldQuoted = false;
        }

        sink.OnField(_field.AsSpan(0, _length), _quoted);
        _fieldsInRecord++;
        _length = 0;
        _quoted = false;
        _state = State.FieldStart;
    }

    private void EndRecord(char terminator)
    {
        var blank = _fieldsInRecord == 0 && _length == 0 && !_quoted;
        if (!blank)
        {
            EndField();
            FinishRecord();
        }

        _state = State.FieldStart;
        _afterCarriageReturn = terminator == '\r';
        Line++;
        _recordLine = Line;
    }

    private void FinishRecord()
    {
        sink.OnRecordEnd(_recordLine);
        RecordsSeen++;
        _fieldsInRecord = 0;
    }
}
