using System.Text.Json.Serialization;

namespace Serverless.Monitoring.Performance;

/// <summary>The outcome of a live performance check.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<PerformanceVerdict>))]
public enum PerformanceVerdict
{
    /// <summary>Live quality is within the allowed distance of the evaluation metric.</summary>
    Ok,

    /// <summary>Live quality is worse than the evaluation metric by more than the relative threshold.</summary>
    Degraded,

    /// <summary>Too few labelled predictions in the window to judge.</summary>
    InsufficientData,
}
