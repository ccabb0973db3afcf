using Serverless.Monitoring.Statistics;

namespace Serverless.Monitoring.Drift;

/// <summary>The test chosen for a feature and its threshold.</summary>
public sealed record DriftTest(DriftMethod Method, double Threshold)
{
    /// <summary>Whether the method is a hypothesis test (drift when p &lt; threshold) rather than a distance.</summary>
    public bool IsHypothesisTest => Method is DriftMethod.KolmogorovSmirnov or DriftMethod.ChiSquared or DriftMethod.ProportionsZTest;

    /// <summary>Whether the result means drift: p &lt; threshold for hypothesis tests, statistic ≥ threshold for distances.</summary>
    public bool IsDrift(StatisticalTestResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        return IsHypothesisTest
            ? (result.PValue ?? throw new ArgumentException($"{Method} must produce a p-value.", nameof(result))) < Threshold
            : result.Statistic >= Threshold;
    }
}
