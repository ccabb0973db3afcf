namespace Serverless.Monitoring.Performance;

/// <summary>Settings of the live performance check (section <c>Monitoring:Performance</c>).</summary>
public sealed class PerformanceOptions
{
    public const string SectionName = "Monitoring:Performance";

    /// <summary>Fewer labelled predictions than this gives <see cref="PerformanceVerdict.InsufficientData"/>.</summary>
    public int MinimumLabelledRows { get; set; } = 30;

    /// <summary>Degraded when the live metric is worse than the evaluation metric by more than this fraction of it.</summary>
    public double RelativeDegradation { get; set; } = 0.10;

    /// <summary>Throws when a setting is out of range, naming it.</summary>
    public void Validate()
    {
        if (MinimumLabelledRows < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(MinimumLabelledRows), MinimumLabelledRows, $"{SectionName}:{nameof(MinimumLabelledRows)} must be at least 1.");
        }

        if (!(RelativeDegradation > 0))
        {
            throw new ArgumentOutOfRangeException(nameof(RelativeDegradation), RelativeDegradation, $"{SectionName}:{nameof(RelativeDegradation)} must be positive.");
        }
    }
}
