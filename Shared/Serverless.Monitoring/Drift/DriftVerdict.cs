using System.Text.Json.Serialization;

namespace Serverless.Monitoring.Drift;

/// <summary>The outcome of a drift check.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<DriftVerdict>))]
public enum DriftVerdict
{
    /// <summary>The current values follow the reference distribution (as far as the test can tell).</summary>
    NoDrift,

    /// <summary>The test detected a change of distribution.</summary>
    Drift,

    /// <summary>Too few current (or reference) values to run the test; no statistic is reported.</summary>
    InsufficientData,
}
