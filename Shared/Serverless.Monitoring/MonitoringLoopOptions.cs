namespace Serverless.Monitoring;

/// <summary>Settings of the monitoring loop (section <c>Monitoring:Loop</c>).</summary>
public sealed class MonitoringLoopOptions
{
    public const string SectionName = "Monitoring:Loop";

    /// <summary>Logged predictions of the last this-long are compared with the training profile.</summary>
    public TimeSpan DriftWindow { get; set; } = TimeSpan.FromHours(24);

    /// <summary>Feedback on predictions of the last this-long makes the live performance.</summary>
    public TimeSpan PerformanceWindow { get; set; } = TimeSpan.FromDays(7);

    /// <summary>After a drift-triggered run starts, no other starts for this long.</summary>
    public TimeSpan RetrainCoolDown { get; set; } = TimeSpan.FromHours(6);

    /// <summary>The alias whose version is monitored.</summary>
    public string Alias { get; set; } = "production";

    /// <summary>At most this many logged rows are read per check (the newest hours first).</summary>
    public int MaxRows { get; set; } = 20_000;

    /// <summary>Throws when a setting is out of range, naming it.</summary>
    public void Validate()
    {
        if (DriftWindow <= TimeSpan.Zero || PerformanceWindow <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(DriftWindow), $"{SectionName}:DriftWindow and PerformanceWindow must be positive; they are {DriftWindow} and {PerformanceWindow}.");
        }

        if (RetrainCoolDown < TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(RetrainCoolDown), RetrainCoolDown, $"{SectionName}:RetrainCoolDown must not be negative.");
        }

        if (MaxRows < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxRows), MaxRows, $"{SectionName}:MaxRows must be at least 1.");
        }
    }
}
