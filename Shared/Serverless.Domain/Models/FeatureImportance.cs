namespace Serverless.Domain.Models;

/// <summary>
/// How much a model's test metric worsens when one raw input column's values are shuffled (permutation feature
/// importance): larger is more important; near zero or negative, the model does not rely on it.
/// </summary>
public sealed record FeatureImportance(string Feature, double Importance);
