namespace Serverless.Domain.Datasets;

/// <summary>The ordered columns of a dataset version.</summary>
public sealed record DatasetSchema(IReadOnlyList<ColumnSchema> Columns)
{
    public ColumnSchema? Find(string name) => Columns.FirstOrDefault(c => string.Equals(c.Name, name, StringComparison.Ordinal));

    public bool Equals(DatasetSchema? other) => other is not null && Columns.SequenceEqual(other.Columns);

    public override int GetHashCode() => Columns.Aggregate(0, (hash, column) => HashCode.Combine(hash, column));
}
