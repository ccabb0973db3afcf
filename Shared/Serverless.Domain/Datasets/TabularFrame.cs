namespace Serverless.Domain.Datasets;

/// <summary>
/// A dataset in memory, column by column (typed arrays, so a million rows of twenty numeric
/// features is 160 MB, not a million row objects).
/// </summary>
public sealed class TabularFrame
{
    private readonly Dictionary<string, FrameColumn> _byName;

    public TabularFrame(IReadOnlyList<FrameColumn> columns)
    {
        ArgumentNullException.ThrowIfNull(columns);
        Columns = columns;
        RowCount = columns.Count == 0 ? 0 : columns[0].Length;
        _byName = new Dictionary<string, FrameColumn>(columns.Count, StringComparer.Ordinal);
        foreach (var column in columns)
        {
            if (column.Length != RowCount)
            {
                throw new ArgumentException($"Column '{column.Name}' has {column.Length} rows; expected {RowCount}.", nameof(columns));
            }

            if (!_byName.TryAdd(column.Name, column))
            {
                throw new ArgumentException($"Column '{column.Name}' appears twice.", nameof(columns));
            }
        }
    }

    public IReadOnlyList<FrameColumn> Columns { get; }

    public int RowCount { get; }

    public DatasetSchema Schema => new(Columns.Select(c => new ColumnSchema(c.Name, c.Kind)).ToList());

    public FrameColumn this[string name] =>
        _byName.TryGetValue(name, out var column) ? column : throw new KeyNotFoundException($"The dataset has no column '{name}'.");

    public bool Contains(string name) => _byName.ContainsKey(name);

    /// <summary>The rows at the given indexes, in that order (for splits and samples).</summary>
    public TabularFrame Take(IReadOnlyList<int> rows) => new(Columns.Select(c => c.Take(rows)).ToList());

    /// <summary>These rows followed by <paramref name="other"/>'s (same column names and kinds, e.g. a train and a validation split).</summary>
    /// <exception cref="ArgumentException">The frames' columns differ.</exception>
    public TabularFrame Append(TabularFrame other)
    {
        ArgumentNullException.ThrowIfNull(other);
        return new(Columns.Select(c => (other.Contains(c.Name) ? other[c.Name] : null) switch
        {
            NumericColumn more when c is NumericColumn numeric && more.Kind == c.Kind => (FrameColumn)(numeric with { Values = [.. numeric.Values, .. more.Values] }),
            TextColumn more when c is TextColumn text && more.Kind == c.Kind => text with { Values = [.. text.Values, .. more.Values] },
            _ => throw new ArgumentException($"Column '{c.Name}' is missing or of another kind in the appended rows.", nameof(other)),
        }).ToList());
    }

    /// <summary>Only the named columns, in the given order.</summary>
    public TabularFrame Select(IEnumerable<string> names) => new(names.Select(n => this[n]).ToList());
}
