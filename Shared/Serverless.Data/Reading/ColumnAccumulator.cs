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
    private double[]? _numbers = new double[1024];
    private string?[]? _texts;
    private int _count;
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
            Append(ref _numbers, number);
            return;
        }

        SwitchToTexts();
        Append(ref _texts!, _pool.Get(value));
    }

    public void AddMissing()
    {
        if (_numbers is not null)
        {
            Append(ref _numbers, double.NaN);
        }
        else
        {
            Append(ref _texts!, null);
        }
    }

    /// <param name="everyFieldQuoted">The file quoted every present value (a "quote all" writer), so quotes say nothing about type.</param>
    public RawColumn Complete(bool everyFieldQuoted)
    {
        if (_numbers is not null)
        {
            return RawColumn.OfNumbers(Name, _numbers.AsSpan(0, _count).ToArray());
        }

        var texts = _texts.AsSpan(0, _count).ToArray();
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

        _texts = new string?[Math.Max(_numbers.Length, 16)];
        for (var i = 0; i < _count; i++)
        {
            var number = _numbers[i];
            _texts[i] = double.IsNaN(number) ? null : _pool.Get(number.ToString("R", CultureInfo.InvariantCulture));
        }

        _numbers = null;
    }

    private void Append<T>(ref T[] array, T value)
    {
        if (_count == array.Length)
        {
            Array.Resize(ref array, checked(array.Length * 2));
        }

        array[_count++] = value;
    }
}
