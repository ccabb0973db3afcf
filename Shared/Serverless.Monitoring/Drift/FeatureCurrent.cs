using Serverless.Domain.Datasets;

namespace Serverless.Monitoring.Drift;

/// <summary>The values a feature (or the model's output) took in the monitored window.</summary>
public abstract record FeatureCurrent(string Name)
{
    /// <summary>Numeric values; NaN marks a missing value.</summary>
    public sealed record Numeric(string Name, IReadOnlyList<double> Values) : FeatureCurrent(Name);

    /// <summary>Category labels; null marks a missing value.</summary>
    public sealed record Categorical(string Name, IReadOnlyList<string?> Values) : FeatureCurrent(Name);

    /// <summary>The values of a frame column: numeric and boolean columns as numbers, the others as labels.</summary>
    public static FeatureCurrent From(FrameColumn column)
    {
        ArgumentNullException.ThrowIfNull(column);
        return column switch
        {
            NumericColumn numeric => new Numeric(numeric.Name, numeric.Values),
            TextColumn text => new Categorical(text.Name, text.Values),
            _ => throw new ArgumentException($"Column '{column.Name}' has an unsupported column type {column.GetType().Name}.", nameof(column)),
        };
    }
}
