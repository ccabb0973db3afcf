using System.Text.Json.Serialization;

namespace Serverless.Monitoring.Drift;

/// <summary>The statistical test or distance used to decide whether a feature drifted.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<DriftMethod>))]
public enum DriftMethod
{
    /// <summary>Two-sample Kolmogorov-Smirnov; drift when p &lt; threshold.</summary>
    KolmogorovSmirnov,

    /// <summary>Chi-squared goodness of fit of category frequencies; drift when p &lt; threshold.</summary>
    ChiSquared,

    /// <summary>Two-proportions z-test for binary features; drift when p &lt; threshold.</summary>
    ProportionsZTest,

    /// <summary>Wasserstein-1 distance over the reference's standard deviation; drift when ≥ threshold.</summary>
    NormalisedWasserstein,

    /// <summary>Jensen-Shannon distance (base 2) of category frequencies; drift when ≥ threshold.</summary>
    JensenShannon,

    /// <summary>Population stability index; drift when ≥ threshold.</summary>
    PopulationStabilityIndex,
}
