namespace Serverless.Monitoring.Drift;

/// <summary>Settings of drift detection (section <c>Monitoring:Drift</c>); the defaults are Evidently's.</summary>
public sealed class DriftOptions
{
    public const string SectionName = "Monitoring:Drift";

    /// <summary>Fewer non-missing current values than this gives <see cref="DriftVerdict.InsufficientData"/>.</summary>
    public int MinimumCurrentRows { get; set; } = 30;

    /// <summary>References up to this size use hypothesis tests (KS, χ², z); larger ones use distances.</summary>
    public long SmallSampleLimit { get; set; } = 1000;

    /// <summary>A numeric feature with at most this many distinct values is treated as categorical.</summary>
    public int MaximumDistinctForCategorical { get; set; } = 5;

    /// <summary>Hypothesis tests flag drift when p &lt; this.</summary>
    public double PValueThreshold { get; set; } = 0.05;

    /// <summary>Normalised Wasserstein flags drift when the distance ≥ this.</summary>
    public double WassersteinThreshold { get; set; } = 0.1;

    /// <summary>Jensen-Shannon flags drift when the distance ≥ this.</summary>
    public double JensenShannonThreshold { get; set; } = 0.1;

    /// <summary>PSI flags drift when the index ≥ this (0.1 = moderate change, 0.2 = significant shift).</summary>
    public double PsiThreshold { get; set; } = 0.1;

    /// <summary>The number of reference-quantile bins for PSI on numeric features.</summary>
    public int PsiBins { get; set; } = 10;

    /// <summary>Use PSI for every feature instead of the default selection.</summary>
    public bool UsePsiForAllFeatures { get; set; }

    /// <summary>Features (by name) that use PSI instead of the default selection.</summary>
    public ISet<string> PsiFeatures { get; } = new HashSet<string>(StringComparer.Ordinal);

    /// <summary>The dataset drifts when the share of drifted features (among those with data) reaches this.</summary>
    public double DriftShare { get; set; } = 0.5;

    /// <summary>Throws when a setting is out of range, naming it.</summary>
    public void Validate()
    {
        Require(MinimumCurrentRows >= 1, nameof(MinimumCurrentRows), MinimumCurrentRows, "at least 1");
        Require(SmallSampleLimit >= 1, nameof(SmallSampleLimit), SmallSampleLimit, "at least 1");
        Require(MaximumDistinctForCategorical >= 0, nameof(MaximumDistinctForCategorical), MaximumDistinctForCategorical, "non-negative");
        Require(PValueThreshold is > 0 and < 1, nameof(PValueThreshold), PValueThreshold, "in (0, 1)");
        Require(WassersteinThreshold > 0, nameof(WassersteinThreshold), WassersteinThreshold, "positive");
        Require(JensenShannonThreshold is > 0 and <= 1, nameof(JensenShannonThreshold), JensenShannonThreshold, "in (0, 1]");
        Require(PsiThreshold > 0, nameof(PsiThreshold), PsiThreshold, "positive");
        Require(PsiBins >= 2, nameof(PsiBins), PsiBins, "at least 2");
        Require(DriftShare is > 0 and <= 1, nameof(DriftShare), DriftShare, "in (0, 1]");
    }

    private static void Require(bool condition, string name, object value, string expectation)
    {
        if (!condition)
        {
            throw new ArgumentOutOfRangeException(name, value, $"{SectionName}:{name} must be {expectation}; it is {value}.");
        }
    }
}
