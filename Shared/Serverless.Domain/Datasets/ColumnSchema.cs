namespace Serverless.Domain.Datasets;

/// <summary>One column of a dataset: its name and kind.</summary>
public sealed record ColumnSchema(string Name, ColumnKind Kind);
