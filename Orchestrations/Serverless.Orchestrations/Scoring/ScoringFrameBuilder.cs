using System.Globalization;
using System.Text;
using Serverless.Domain.Datasets;
using Serverless.Domain.Models;

namespace Serverless.Orchestrations.Scoring;

/// <summary>
/// Collects the rows of a chunk as model inputs, cell by cell as <c>/predict</c> reads CSV: an empty field is missing;
/// numbers in invariant culture; booleans true/false/1/0; categorical as text. A row with an unparseable value is
/// refused with its column and the reason, and adds nothing.
/// </summary>
public sealed class ScoringFrameBuilder
{
    private readonly IReadOnlyList<SignatureInput> _inputs;
    private readonly int[] _positions;
    private readonly List<double>[] _numbers;
    private readonly List<string?>[] _texts;
    private readonly double[] _rowNumbers;
    private readonly string?[] _rowTexts;

    /// <exception cref="ArgumentException">The header lacks a column the model needs.</exception>
    public ScoringFrameBuilder(ModelSignature signature, IReadOnlyList<string> header)
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

        _numbers = [.. _inputs.Select(_ => new List<double>())];
        _texts = [.. _inputs.Select(_ => new List<string?>())];
        _rowNumbers = new double[_inputs.Count];
        _rowTexts = new string?[_inputs.Count];
    }

    public int Count { get; private set; }

    /// <summary>The largest header position of a column the model reads (fields after it are never looked at).</summary>
    public int MaxPosition => _positions.Max();

    /// <summary>Adds a row, or returns the column and reason it cannot be scored.</summary>
    public (string Column, string Message)? TryAdd(IReadOnlyList<string> fields)
    {
        ArgumentNullException.ThrowIfNull(fields);
        for (var c = 0; c < _inputs.Count; c++)
        {
            var text = _positions[c] < fields.Count ? fields[_positions[c]] : string.Empty;
            if (TrySet(c, text) is { } problem)
            {
                return problem;
            }
        }

        Commit();
        return null;
    }

    /// <summary>
    /// Adds a row given as one unquoted UTF-8 record and its field ranges (no allocation for numeric cells), or returns
    /// the column and reason it cannot be scored. A field past the last range is empty.
    /// </summary>
    public (string Column, string Message)? TryAdd(ReadOnlySpan<byte> record, ReadOnlySpan<Range> fields)
    {
        for (var c = 0; c < _inputs.Count; c++)
        {
            var text = _positions[c] < fields.Length ? record[fields[_positions[c]]] : [];
            var problem = _inputs[c].Kind == ColumnKind.Numeric ? TrySetNumber(c, text) : TrySet(c, Encoding.UTF8.GetString(text));
            if (problem is not null)
            {
                return problem;
            }
        }

        Commit();
        return null;
    }

    /// <summary>A numeric cell parsed from its UTF-8 bytes, as <see cref="TrySet"/> parses its text.</summary>
    private (string Column, string Message)? TrySetNumber(int c, ReadOnlySpan<byte> text)
    {
        _rowTexts[c] = null;
        _rowNumbers[c] = double.NaN;
        if (text.Length == 0)
        {
            return null;
        }

        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) && !double.IsInfinity(number))
        {
            _rowNumbers[c] = number;
            return null;
        }

        return TrySet(c, Encoding.UTF8.GetString(text));
    }

    private (string Column, string Message)? TrySet(int c, ReadOnlySpan<char> text)
    {
        var input = _inputs[c];
        _rowTexts[c] = null;
        _rowNumbers[c] = double.NaN;
        if (text.Length == 0)
        {
            return null;
        }

        if (input.Kind == ColumnKind.Categorical)
        {
            _rowTexts[c] = text.ToString();
        }
        else if (input.Kind == ColumnKind.Boolean)
        {
            switch (text.ToString().Trim().ToUpperInvariant())
            {
                case "TRUE" or "1":
                    _rowNumbers[c] = 1;
                    break;
                case "FALSE" or "0":
                    _rowNumbers[c] = 0;
                    break;
                default:
                    return (input.Name, $"expected a boolean (true/false/1/0, or empty for missing), got '{Shorten(text.ToString())}'");
            }
        }
        else if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) && !double.IsInfinity(number))
        {
            _rowNumbers[c] = number;
        }
        else
        {
            return (input.Name, $"expected a number (or empty for missing), got '{Shorten(text.ToString())}'");
        }

        return null;
    }

    private void Commit()
    {
        for (var c = 0; c < _inputs.Count; c++)
        {
            if (_inputs[c].Kind == ColumnKind.Categorical)
            {
                _texts[c].Add(_rowTexts[c]);
            }
            else
            {
                _numbers[c].Add(_rowNumbers[c]);
            }
        }

        Count++;
    }

    public TabularFrame Build() => new([.. _inputs.Select((input, c) => input.Kind == ColumnKind.Categorical
        ? (FrameColumn)new TextColumn(input.Name, input.Kind, [.. _texts[c]])
        : new NumericColumn(input.Name, input.Kind, [.. _numbers[c]]))]);

    private static string Shorten(string text) => text.Length <= 40 ? text : text[..40] + "…";
}
