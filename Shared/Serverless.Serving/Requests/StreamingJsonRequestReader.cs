using System.Text.Json;
using Serverless.Domain.Datasets;
using Serverless.Domain.Models;

namespace Serverless.Serving.Requests;

/// <summary>
/// The fast path for JSON predict bodies: one forward pass of a <see cref="Utf8JsonReader"/> straight into the
/// signature's column buffers, with no document and no per-cell element objects. It accepts only bodies the document
/// reader (<see cref="JsonDocumentRequestReader"/>) would accept with the same frame; for anything else it returns
/// <c>null</c> or throws (malformed JSON, a bad cell, too many rows), and the caller lets the document reader decide,
/// so every error message and status stays that reader's.
/// </summary>
internal static class StreamingJsonRequestReader
{
    private static readonly JsonReaderOptions ReaderOptions = new() { MaxDepth = 64 };

    private enum Shape
    {
        None,
        Instances,
        DataframeSplit,
        DataframeRecords,
        Inputs,
    }

    /// <summary>The frame, or <c>null</c> when the body is not one the fast path handles.</summary>
    /// <exception cref="JsonException">Malformed JSON.</exception>
    /// <exception cref="ServingRequestException">A cell does not fit its column, or there are too many rows.</exception>
    public static TabularFrame? TryRead(ReadOnlySpan<byte> body, ModelSignature signature, int maxRows)
    {
        var reader = new Utf8JsonReader(body, ReaderOptions);
        var columns = new Columns(signature, maxRows);
        if (!reader.Read())
        {
            return null;
        }

        bool read;
        if (reader.TokenType == JsonTokenType.StartArray)
        {
            read = ReadRecords(ref reader, columns);
        }
        else if (reader.TokenType == JsonTokenType.StartObject)
        {
            read = ReadRoot(ref reader, columns);
        }
        else
        {
            return null;
        }

        // The whole body must be one JSON value (the reader throws on anything after it).
        if (!read || reader.Read())
        {
            return null;
        }

        return columns.Build();
    }

    private static bool ReadRoot(ref Utf8JsonReader reader, Columns columns)
    {
        var shape = Shape.None;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var key = ShapeOf(ref reader);
            reader.Read();
            if (key == Shape.None)
            {
                reader.Skip();
                continue;
            }

            if (shape != Shape.None)
            {
                return false;
            }

            shape = key;
            var read = (key, reader.TokenType) switch
            {
                (Shape.DataframeSplit, JsonTokenType.StartObject) => ReadSplit(ref reader, columns),
                (Shape.Inputs, JsonTokenType.StartObject) => ReadColumns(ref reader, columns),
                (not Shape.DataframeSplit, JsonTokenType.StartArray) => ReadRecords(ref reader, columns),
                _ => false,
            };
            if (!read)
            {
                return false;
            }
        }

        return shape != Shape.None;
    }

    private static Shape ShapeOf(ref Utf8JsonReader reader) =>
        reader.ValueTextEquals("instances"u8) ? Shape.Instances
        : reader.ValueTextEquals("dataframe_split"u8) ? Shape.DataframeSplit
        : reader.ValueTextEquals("dataframe_records"u8) ? Shape.DataframeRecords
        : reader.ValueTextEquals("inputs"u8) ? Shape.Inputs
        : Shape.None;

    /// <summary>A list of records (objects mapping column to value); the reader is on its <c>[</c>.</summary>
    private static bool ReadRecords(ref Utf8JsonReader reader, Columns columns)
    {
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            if (reader.TokenType != JsonTokenType.StartObject)
            {
                return false;
            }

            var row = columns.AddRow();
            var previous = -1;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var index = columns.IndexOf(ref reader, previous);
                reader.Read();
                if (index < 0)
                {
                    reader.Skip();
                    continue;
                }

                columns.Set(index, row, ref reader);
                previous = index;
            }
        }

        return true;
    }

    /// <summary><c>{"columns": [...], "data": [[...], ...]}</c>, columns first; the reader is on its <c>{</c>.</summary>
    private static bool ReadSplit(ref Utf8JsonReader reader, Columns columns)
    {
        int[]? targets = null;
        var data = false;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("columns"u8))
            {
                reader.Read();
                if (targets is not null || data || reader.TokenType != JsonTokenType.StartArray)
                {
                    return false;
                }

                targets = ReadTargets(ref reader, columns);
                if (targets is null)
                {
                    return false;
                }
            }
            else if (reader.ValueTextEquals("data"u8))
            {
                reader.Read();
                if (targets is null || data || reader.TokenType != JsonTokenType.StartArray || !ReadRows(ref reader, columns, targets))
                {
                    return false;
                }

                data = true;
            }
            else
            {
                reader.Read();
                reader.Skip();
            }
        }

        return data;
    }

    private static int[]? ReadTargets(ref Utf8JsonReader reader, Columns columns)
    {
        var targets = new List<int>(columns.Count);
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            if (reader.TokenType != JsonTokenType.String)
            {
                return null;
            }

            var index = columns.IndexOf(ref reader, targets.Count == 0 ? -1 : targets[^1]);
            columns.MarkSeen(index);
            targets.Add(index);
        }

        return [.. targets];
    }

    private static bool ReadRows(ref Utf8JsonReader reader, Columns columns, int[] targets)
    {
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            if (reader.TokenType != JsonTokenType.StartArray)
            {
                return false;
            }

            var row = columns.AddRow();
            var cell = 0;
            while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
            {
                if (cell == targets.Length)
                {
                    return false;
                }

                var index = targets[cell++];
                if (index < 0)
                {
                    reader.Skip();
                }
                else
                {
                    columns.Set(index, row, ref reader);
                }
            }

            if (cell != targets.Length)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary><c>{"column": [values], ...}</c>, every list as long as the first; the reader is on its <c>{</c>.</summary>
    private static bool ReadColumns(ref Utf8JsonReader reader, Columns columns)
    {
        var rows = -1;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var index = columns.IndexOf(ref reader, -1);
            reader.Read();
            if (reader.TokenType != JsonTokenType.StartArray)
            {
                return false;
            }

            columns.MarkSeen(index);
            var row = 0;
            while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
            {
                if (rows < 0)
                {
                    columns.AddRow();
                }
                else if (row >= rows)
                {
                    return false;
                }

                if (index < 0)
                {
                    reader.Skip();
                }
                else
                {
                    columns.Set(index, row, ref reader);
                }

                row++;
            }

            if (rows >= 0 && row != rows)
            {
                return false;
            }

            rows = row;
        }

        return true;
    }

    /// <summary>The signature's column buffers, grown row by row, and which inputs the body named.</summary>
    private sealed class Columns
    {
        private readonly ModelSignature _signature;
        private readonly SignatureNames _names;
        private readonly ColumnValues[] _values;
        private readonly bool[] _seen;
        private readonly int _maxRows;
        private int _rows;

        public Columns(ModelSignature signature, int maxRows)
        {
            _signature = signature;
            _names = SignatureNames.Of(signature);
            _values = new ColumnValues[signature.Inputs.Count];
            for (var i = 0; i < _values.Length; i++)
            {
                _values[i] = new ColumnValues(signature.Inputs[i], 1);
            }

            _seen = new bool[_values.Length];
            _maxRows = maxRows;
        }

        public int Count => _values.Length;

        public int IndexOf(ref Utf8JsonReader reader, int previous) => _names.IndexOf(ref reader, previous);

        public void MarkSeen(int index)
        {
            if (index >= 0)
            {
                _seen[index] = true;
            }
        }

        public int AddRow()
        {
            if (_rows == _maxRows)
            {
                throw ServingRequestException.TooLarge($"More than {_maxRows} rows.");
            }

            _rows++;
            foreach (var column in _values)
            {
                column.EnsureRows(_rows);
            }

            return _rows - 1;
        }

        public void Set(int index, int row, ref Utf8JsonReader reader)
        {
            _seen[index] = true;
            _values[index].Set(row, ref reader);
        }

        public TabularFrame? Build()
        {
            if (_rows == 0 || Array.IndexOf(_seen, false) >= 0)
            {
                return null;
            }

            var columns = new FrameColumn[_values.Length];
            for (var i = 0; i < columns.Length; i++)
            {
                columns[i] = _values[i].ToColumn(_rows);
            }

            return new TabularFrame(columns);
        }
    }
}
