using System.Globalization;
using System.Text;
using Serverless.Domain.Datasets;
using Serverless.Domain.Models;

namespace Serverless.Orchestrations.Scoring;

/// <summary>
/// Collects the rows of a chunk as model inputs, cell by cell as <c>/predict</c> reads CSV: an empty field is missing;
/// numbers in invariant culture; booleans true/false/1/0; categorical as text. A row with an unparseable value is
/// refused with its column and the reason, and adds nothing. Cells are written straight into the column arrays at the
/// next row's index, which only counts once every cell of the row was accepted (a refused row's cells are overwritten).
/// </summary>
public sealed class ScoringFrameBuilder
{
    private readonly IReadOnlyList<SignatureInput> _inputs;
    private readonly int[] _positions;
    private readonly bool[] _numeric;
    private readonly double[]?[] _numbers;
    private readonly string?[]?[] _texts;
    private int _capacity;

    /// <param name="signature">The model's inputs.</param>
    /// <param name="header">The CSV's column names.</param>
    /// <param name="capacity">The rows expected (the arrays grow past it).</param>
    /// <exception cref="ArgumentException">The header lacks a column the model needs.</exception>
    public ScoringFrameBuilder(ModelSignature signature, IReadOnlyList<string> header, int capacity = 1024)
    {
        ArgumentNullException.ThrowIfNull(signature);
        ArgumentNullException.ThrowIfNull(header);
        _inputs = signature.Inputs;
        _positions = [.. _inputs.Select(input => header.ToList().IndexOf(input.Name))];
        var missing = _inputs.Where((_, i) => _positions[i] < 0).Select(input => input.Name).ToList();
        if (missing.Count > 0)
        {
            throw new ArgumentException($"The CSV header lacks column(s) {string.Join(", ", missing)}; the model needs: {string.Join(", ", _inputs.Select(i => i.Name))}.", nameof(header));
        }

        _capacity = Math.Max(1, capacity);
        _numeric = [.. _inputs.Select(input => input.Kind == ColumnKind.Numeric)];
        _numbers = [.. _inputs.Select(input => input.Kind == ColumnKind.Categorical ? null : new double[_capacity])];
        _texts = [.. _inputs.Select(input => input.Kind == ColumnKind.Categorical ? new string?[_capacity] : null)];
    }

    public int Count { get; private set; }

    /// <summary>The rows the arrays hold before they grow.</summary>
    public int Capacity => _capacity;

    /// <summary>The largest header position of a column the model reads (fields after it are never looked at).</summary>
    public int MaxPosition => _positions.Max();

    /// <summary>Adds a row, or returns the column and reason it cannot be scored.</summary>
    public (string Column, string Message)? TryAdd(IReadOnlyList<string> fields)
    {
        ArgumentNullException.ThrowIfNull(fields);
        EnsureRoom();
        for (var c = 0; c < _inputs.Count; c++)
        {
            var text = _positions[c] < fields.Count ? fields[_positions[c]] : string.Empty;
            if (TrySet(c, text) is { } problem)
            {
                return problem;
            }
        }

        Count++;
        return null;
    }

    /// <summary>
    /// Adds a row given as one unquoted UTF-8 record and its field ranges (no allocation for numeric cells), or returns
    /// the column and reason it cannot be scored. A field past the last range is empty.
    /// </summary>
    public (string Column, string Message)? TryAdd(ReadOnlySpan<byte> record, ReadOnlySpan<Range> fields)
    {
        EnsureRoom();
        var row = Count;
        for (var c = 0; c < _positions.Length; c++)
        {
            var text = _positions[c] < fields.Length ? record[fields[_positions[c]]] : [];
            if (_numeric[c])
            {
                if (text.IsEmpty)
                {
                    _numbers[c]![row] = double.NaN;
                    continue;
                }

                if (CsvNumber.TryParse(text, out var number) && !double.IsInfinity(number))
                {
                    _numbers[c]![row] = number;
                    continue;
                }
            }
            else if (_texts[c] is { } texts)
            {
                texts[row] = text.IsEmpty ? null : Encoding.UTF8.GetString(text);
                continue;
            }

            if (TrySet(c, Encoding.UTF8.GetString(text)) is { } problem)
            {
                return problem;
            }
        }

        Count++;
        return null;
    }

    /// <summary>The rows added, as a frame (the builder's arrays when they are exactly full, so build once).</summary>
    public TabularFrame Build() => new([.. _inputs.Select((input, c) => input.Kind == ColumnKind.Categorical
        ? (FrameColumn)new TextColumn(input.Name, input.Kind, Exact(_texts[c]!))
        : new NumericColumn(input.Name, input.Kind, Exact(_numbers[c]!)))]);

    /// <summary>Sets cell <paramref name="c"/> of the next row from its text, or returns why it cannot be read.</summary>
    private (string Column, string Message)? TrySet(int c, ReadOnlySpan<char> text)
    {
        var input = _inputs[c];
        var row = Count;
        if (input.Kind == ColumnKind.Categorical)
        {
            _texts[c]![row] = text.Length == 0 ? null : text.ToString();
            return null;
        }

        var numbers = _numbers[c]!;
        numbers[row] = double.NaN;
        if (text.Length == 0)
        {
            return null;
        }

        if (input.Kind == ColumnKind.Boolean)
        {
            switch (text.ToString().Trim().ToUpperInvariant())
            {
                case "TRUE" or "1":
                    numbers[row] = 1;
                    break;
                case "FALSE" or "0":
                    numbers[row] = 0;
                    break;
                default:
                    return (input.Name, $"expected a boolean (true/false/1/0, or empty for missing), got '{Shorten(text.ToString())}'");
            }
        }
        else if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) && !double.IsInfinity(number))
        {
            numbers[row] = number;
        }
        else
        {
            return (input.Name, $"expected a number (or empty for missing), got '{Shorten(text.ToString())}'");
        }

        return null;
    }

    private void EnsureRoom()
    {
        if (Count < _capacity)
        {
            return;
        }

        _capacity *= 2;
        for (var c = 0; c < _inputs.Count; c++)
        {
            if (_numbers[c] is { } numbers)
            {
                Array.Resize(ref numbers, _capacity);
                _numbers[c] = numbers;
            }

            if (_texts[c] is { } texts)
            {
                Array.Resize(ref texts, _capacity);
                _texts[c] = texts;
            }
        }
    }

    private T[] Exact<T>(T[] values) => values.Length == Count ? values : values[..Count];

    private static string Shorten(string text) => text.Length <= 40 ? text : text[..40] + "…";
}
