namespace Serverless.Storage;

/// <summary>
/// A table query: an optional partition, an optional row-key range, and an optional extra filter in
/// the OData syntax Table storage understands (for example <c>Status eq 'Running'</c>).
/// </summary>
public sealed record TableQuery
{
    public string? PartitionKey { get; init; }

    /// <summary>Inclusive lower bound of the row key.</summary>
    public string? RowKeyFrom { get; init; }

    /// <summary>Exclusive upper bound of the row key.</summary>
    public string? RowKeyBefore { get; init; }

    public string? Filter { get; init; }

    /// <summary>Stop after this many rows.</summary>
    public int? Take { get; init; }

    public IReadOnlyList<string>? Select { get; init; }

    public static TableQuery Partition(string partitionKey) => new() { PartitionKey = partitionKey };

    public static TableQuery All { get; } = new();

    /// <summary>Rows of one partition whose row key starts with <paramref name="prefix"/>.</summary>
    public static TableQuery RowKeyPrefix(string partitionKey, string prefix)
    {
        ArgumentNullException.ThrowIfNull(prefix);
        return new() { PartitionKey = partitionKey, RowKeyFrom = prefix, RowKeyBefore = prefix + '\uffff' };
    }

    /// <summary>Quotes a value for use in <see cref="Filter"/>.</summary>
    public static string Quote(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return "'" + value.Replace("'", "''", StringComparison.Ordinal) + "'";
    }
}
