namespace Serverless.Domain.Datasets;

/// <summary>What a column holds, as inferred from its values (or declared in the project spec).</summary>
public enum ColumnKind
{
    /// <summary>Real numbers; missing values are NaN.</summary>
    Numeric,

    /// <summary>A small set of labels (strings, or digits used as codes); missing values are null.</summary>
    Categorical,

    /// <summary>Two values (true/false, yes/no, 0/1); held as 0/1 with NaN for missing.</summary>
    Boolean,

    /// <summary>Free text with too many distinct values to one-hot encode; not a model feature.</summary>
    Text,

    /// <summary>Timestamps; not a model feature by default.</summary>
    DateTime,
}
