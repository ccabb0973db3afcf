using System.Text.Json.Serialization;

namespace Serverless.Monitoring.Performance;

/// <summary>A metric of live model quality.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<PerformanceMetric>))]
public enum PerformanceMetric
{
    /// <summary>Share of correct predictions (classification; higher is better).</summary>
    Accuracy,

    /// <summary>Unweighted mean of per-class F1 over the classes seen (classification; higher is better).</summary>
    MacroF1,

    /// <summary>Root mean squared error (regression; lower is better).</summary>
    Rmse,

    /// <summary>Mean absolute error (regression; lower is better).</summary>
    Mae,
}

/// <summary>Properties of <see cref="PerformanceMetric"/>.</summary>
public static class PerformanceMetricExtensions
{
    /// <summary>Whether larger values are better.</summary>
    public static bool HigherIsBetter(this PerformanceMetric metric) => metric is PerformanceMetric.Accuracy or PerformanceMetric.MacroF1;

    /// <summary>Whether the metric applies to classification.</summary>
    public static bool IsClassification(this PerformanceMetric metric) => metric.HigherIsBetter();
}
