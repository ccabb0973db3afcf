using Serverless.Domain.Datasets;

namespace Serverless.ML.Features;

/// <summary>One raw input column's place in the model's feature vector.</summary>
public abstract record FeatureSlot(string Name, ColumnKind Kind)
{
    /// <summary>How many feature-vector entries the column fills.</summary>
    public abstract int Width { get; }
}

/// <summary>
/// A numeric or boolean (0/1) column: a missing value becomes <see cref="Mean"/> (the training mean), then the value
/// becomes <c>(value - Offset) * Scale</c> (identity unless the plan standardizes for a linear model).
/// </summary>
public sealed record NumericSlot(string Name, ColumnKind Kind, float Mean, float Offset, float Scale) : FeatureSlot(Name, Kind)
{
    public override int Width => 1;

    public float Apply(double value)
    {
        var x = double.IsNaN(value) ? Mean : (float)value;
        return (x - Offset) * Scale;
    }
}

/// <summary>A categorical column one-hot encoded over its training vocabulary; unknown or missing values are all zeros.</summary>
public sealed record CategoricalSlot(string Name, IReadOnlyList<string> Categories) : FeatureSlot(Name, ColumnKind.Categorical)
{
    public override int Width => Categories.Count;
}
