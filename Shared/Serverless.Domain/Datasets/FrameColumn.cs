namespace Serverless.Domain.Datasets;

/// <summary>A column of a <see cref="TabularFrame"/>: typed values held in one array.</summary>
public abstract record FrameColumn(string Name, ColumnKind Kind)
{
    public abstract int Length { get; }

    public abstract bool IsMissing(int row);

    /// <summary>The value as text, for reports and errors (empty for missing).</summary>
    public abstract string Format(int row);

    /// <summary>A column with only the given rows, in that order.</summary>
    public abstract FrameColumn Take(IReadOnlyList<int> rows);
}

/// <summary>Numeric or boolean (0/1) values; NaN marks a missing value.</summary>
public sealed record NumericColumn(string Name, ColumnKind Kind, double[] Values) : FrameColumn(Name, Kind)
{
    public NumericColumn(string name, double[] values) : this(name, ColumnKind.Numeric, values) { }

    public override int Length => Values.Length;

    public override bool IsMissing(int row) => double.IsNaN(Values[row]);

    public override string Format(int row) => IsMissing(row) ? string.Empty : Values[row].ToString("R", System.Globalization.CultureInfo.InvariantCulture);

    public override FrameColumn Take(IReadOnlyList<int> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        var values = new double[rows.Count];
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = Values[rows[i]];
        }

        return this with { Values = values };
    }
}

/// <summary>Categorical, text or datetime values as strings; null marks a missing value.</summary>
public sealed record TextColumn(string Name, ColumnKind Kind, string?[] Values) : FrameColumn(Name, Kind)
{
    public override int Length => Values.Length;

    public override bool IsMissing(int row) => Values[row] is null;

    public override string Format(int row) => Values[row] ?? string.Empty;

    public override FrameColumn Take(IReadOnlyList<int> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        var values = new string?[rows.Count];
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = Values[rows[i]];
        }

        return this with { Values = values };
    }
}
