using System.Text.Json.Serialization;
using Serverless.Domain.Datasets;

namespace Serverless.Monitoring.Drift;

/// <summary>The drift check of one feature (or of the model's output).</summary>
/// <param name="Name">The feature.</param>
/// <param name="Kind">Numeric or categorical, as the reference describes it.</param>
/// <param name="Test">The test used (chosen even when there was too little data to run it).</param>
/// <param name="Statistic">The test statistic or distance; null when the verdict is <see cref="DriftVerdict.InsufficientData"/>.</param>
/// <param name="PValue">The p-value, for hypothesis tests that ran.</param>
/// <param name="Threshold">The threshold compared against the p-value (tests) or the statistic (distances).</param>
/// <param name="Verdict">Drift, no drift, or insufficient data.</param>
/// <param name="ReferenceSize">Non-missing reference values.</param>
/// <param name="CurrentSize">Non-missing current values.</param>
public sealed record FeatureDrift(
    string Name,
    [property: JsonConverter(typeof(JsonStringEnumConverter<ColumnKind>))] ColumnKind Kind,
    DriftMethod Test,
    double? Statistic,
    double? PValue,
    double Threshold,
    DriftVerdict Verdict,
    long ReferenceSize,
    long CurrentSize);
