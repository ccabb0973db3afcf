namespace Serverless.Monitoring.Drift;

/// <summary>
/// What a feature (or the model's output) looked like in the training data: a sample of numeric values or the
/// counts of each category. Adapt a training-data profile into these records.
/// </summary>
public abstract record FeatureReference(string Name)
{
    /// <summary>The number of non-missing reference values.</summary>
    public abstract long Size { get; }

    /// <summary>A numeric feature: a sample of its training values (NaN values are ignored).</summary>
    public sealed record Numeric(string Name, IReadOnlyList<double> Sample) : FeatureReference(Name)
    {
        public override long Size => Sample.Count(v => !double.IsNaN(v));
    }

    /// <summary>A categorical feature: how often each category occurred in training.</summary>
    public sealed record Categorical(string Name, IReadOnlyDictionary<string, long> Counts) : FeatureReference(Name)
    {
        public override long Size => Counts.Values.Sum();
    }
}
