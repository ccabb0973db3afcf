using System.Globalization;

namespace Serverless.Data.Reading;

/// <summary>
/// Builds one column while a file streams by. It holds numbers (<c>double</c>) for as long as every present value
/// is an unquoted number, and switches to pooled strings at the first value that is not (or that was quoted:
/// a quoted <c>"5"</c> is a code, not a quantity, as servo.csv's gains).
/// </summary>
internal sealed class ColumnAccumulator(string name)
{
    private readonly StringPool _pool = new();
    private ChunkedBuffer<double>? _numbers = new();
    private ChunkedBuffer<string?>? _texts;
    private bool _allPresentNumeric = true;

    public string Name { get; } = name;

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
    public RawColumn Complete(bool everyFieldQuoted)
    {
        if (_numbers is not null)
        {
            var values = _numbers.ToArray();
            _numbers = null; // the blocks can go while the other columns finish
            return RawColumn.OfNumbers(Name, values);
        }

        var texts = _texts!.ToArray();
        _texts = null;
        if (everyFieldQuoted && _allPresentNumeric)
        {
            var numbers = new double[texts.Length];
            for (var i = 0; i < texts.Length; i++)
            {
                numbers[i] = texts[i] is { } text ? double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture) : double.NaN;
            }

            return RawColumn.OfNumbers(Name, numbers);
        }

        return RawColumn.OfTexts(Name, texts);
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
            var number = _numbers[i];
            _texts.Add(double.IsNaN(number) ? null : _pool.Get(number.ToString("R", CultureInfo.InvariantCulture)));
        }

        _numbers = null;
    }
}
