namespace Serverless.Storage;

/// <summary>
/// A row of a table: keys plus a property bag. Values are <see cref="string"/>, <see cref="int"/>,
/// <see cref="long"/>, <see cref="double"/>, <see cref="bool"/>, <see cref="DateTimeOffset"/>,
/// <see cref="Guid"/> or <see cref="byte"/>[] (the types Table storage keeps).
/// </summary>
public sealed record TableEntity(
    string PartitionKey,
    string RowKey,
    IReadOnlyDictionary<string, object?> Properties)
{
    public ETag? ETag { get; init; }

    public DateTimeOffset? Timestamp { get; init; }

    public TableEntity(string partitionKey, string rowKey)
        : this(partitionKey, rowKey, new Dictionary<string, object?>())
    {
    }

    public object? this[string property] => Properties.TryGetValue(property, out var value) ? value : null;

    public string? GetString(string property) => this[property] as string;

    public long? GetInt64(string property) => this[property] switch
    {
        long l => l,
        int i => i,
        string s when long.TryParse(s, System.Globalization.CultureInfo.InvariantCulture, out var parsed) => parsed,
        _ => null,
    };

    public int? GetInt32(string property) => (int?)GetInt64(property);

    public double? GetDouble(string property) => this[property] switch
    {
        double d => d,
        long l => l,
        int i => i,
        _ => null,
    };

    public bool? GetBoolean(string property) => this[property] as bool?;

    public DateTimeOffset? GetDateTimeOffset(string property) => this[property] switch
    {
        DateTimeOffset d => d,
        DateTime dt => new DateTimeOffset(DateTime.SpecifyKind(dt, DateTimeKind.Utc)),
        _ => null,
    };

    /// <summary>A copy with some properties set (or removed, when the value is <c>null</c>).</summary>
    public TableEntity With(params (string Name, object? Value)[] changes)
    {
        ArgumentNullException.ThrowIfNull(changes);
        var properties = new Dictionary<string, object?>(Properties);
        foreach (var (name, value) in changes)
        {
            if (value is null)
            {
                properties.Remove(name);
            }
            else
            {
                properties[name] = value;
            }
        }

        return this with { Properties = properties };
    }
}
