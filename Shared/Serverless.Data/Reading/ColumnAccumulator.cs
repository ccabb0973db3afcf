using System.Globalization;

namespace Serverless.Data.Reading;

/// <summary>
/// Builds one column while a file streams by. It holds numbers (<c>double</c>) for as long as every present value
/// is an unquoted number, and switches to pooled strings at the first value that is not (or that was quoted:
/// a quoted <c>"5"</c> is a code, not a quantity, as servo.csv's gains).
/// </summary>
/// <param name="texts">
/// Start with strings: for a block of rows that follows one where the column already turned to strings (see
/// <see cref="Join"/>), so its numbers keep their text as one accumulator fed every row would keep it.
/// </param>
internal sealed class ColumnAccumulator(string name, bool texts = false)
{
    private readonly StringPool _pool = new();
    private ChunkedBuffer<double>? _numbers = texts ? null : new();
    private ChunkedBuffer<string?>? _texts = texts ? new() : null;
    private bool _allPresentNumeric = true;
    private bool _convertedNumbers;

    public string Name { get; } = name;

    /// <summary>The column holds strings (a value so far was not an unquoted number, or it started with strings).</summary>
    public bool HoldsTexts => _numbers is null;

    /// <summary>The column holds strings, each present value as written (none is a number turned back into text).</summary>
    public bool HoldsTextsAsWritten => _numbers is null && !_convertedNumbers;

    public void Add(ReadOnlySpan<char> cell, bool quoted)
    {
        if (MissingValues.IsMissing(cell))
        {
            AddMissing();
            return;
        }

        var value = quoted ? cell : cell.Trim();
        var isNumber = double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) && double.IsFinite(number);
        _allPresentNumeric &= isNumber;
        if (_numbers is not null && isNumber && !quoted)
        {
            _numbers.Add(number);
            return;
        }

        SwitchToTexts();
        _texts!.Add(_pool.Get(value));
    }

    public void AddMissing()
    {
        if (_numbers is not null)
        {
            _numbers.Add(double.NaN);
        }
        else
        {
            _texts!.Add(null);
        }
    }

    /// <param name="everyFieldQuoted">The file quoted every present value (a "quote all" writer), so quotes say nothing about type.</param>
    /// <remarks>Call once: the buffers are released.</remarks>
    public RawColumn Complete(bool everyFieldQuoted) => Join([this], everyFieldQuoted);

    /// <summary>
    /// The column of consecutive row blocks of one file, each read by its own accumulator, exactly as one accumulator
    /// fed every row would complete it: numbers while every block holds numbers; else the blocks before the first that
    /// holds strings give their numbers as the switch to strings would (round-trip text), and every later block must
    /// hold its values as written (<see cref="HoldsTextsAsWritten"/>: read with <c>texts</c>, or strings from its first present value).
    /// </summary>
    /// <remarks>Call once: the parts' buffers are released.</remarks>
    /// <exception cref="InvalidOperationException">A block after the first that holds strings does not hold its values as written.</exception>
    public static RawColumn Join(IReadOnlyList<ColumnAccumulator> parts, bool everyFieldQuoted)
    {
        var name = parts[0].Name;
        var length = parts.Sum(p => p.HoldsTexts ? p._texts!.Count : p._numbers!.Count);
        var firstText = -1;
        for (var i = 0; i < parts.Count && firstText < 0; i++)
        {
            firstText = parts[i].HoldsTexts ? i : -1;
        }

        if (firstText < 0)
        {
            var values = new double[length];
            var at = 0;
            foreach (var part in parts)
            {
                at += part._numbers!.CopyTo(values.AsSpan(at));
                part._numbers = null; // the blocks can go while the other columns finish
            }

            return RawColumn.OfNumbers(name, values);
        }

        var texts = new string?[length];
        var offset = 0;
        for (var i = 0; i < parts.Count; i++)
        {
            var part = parts[i];
            if (i < firstText)
            {
                for (var r = 0; r < part._numbers!.Count; r++)
                {
                    texts[offset++] = part.TextOf(part._numbers[r]);
                }
            }
            else if (i == firstText || part.HoldsTextsAsWritten)
            {
                offset += part._texts!.CopyTo(texts.AsSpan(offset));
            }
            else
            {
                throw new InvalidOperationException($"Column '{name}': block {i + 1} holds numbers, not their text, after block {firstText + 1} turned to strings.");
            }

            part._numbers = null;
            part._texts = null;
        }

        if (everyFieldQuoted && parts.All(p => p._allPresentNumeric))
        {
            var numbers = new double[texts.Length];
            for (var i = 0; i < texts.Length; i++)
            {
                numbers[i] = texts[i] is { } text ? double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture) : double.NaN;
            }

            return RawColumn.OfNumbers(name, numbers);
        }

        return RawColumn.OfTexts(name, texts);
    }

    private void SwitchToTexts()
    {
        if (_numbers is null)
        {
            return;
        }

        _texts = new ChunkedBuffer<string?>();
        for (var i = 0; i < _numbers.Count; i++)
        {
            _convertedNumbers |= !double.IsNaN(_numbers[i]);
            _texts.Add(TextOf(_numbers[i]));
        }

        _numbers = null;
    }

    /// <summary>A number read before the column turned to strings, as a string (round-trip text; NaN is missing).</summary>
    private string? TextOf(double number) =>
        double.IsNaN(number) ? null : _pool.Get(number.ToString("R", CultureInfo.InvariantCulture));
}
