namespace Serverless.Hosting.Configuration;

/// <summary>Timer trigger behaviour.</summary>
public sealed class TimersOptions
{
    public const string Section = FunctionsHostOptions.HostJsonSection + ":extensions:timers";

    /// <summary>Singleton lease per schedule (15-60 s); another host takes over at most this long after the holder dies.</summary>
    public TimeSpan LeaseDuration { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>An occurrence invoked later than this after its time is reported as past due.</summary>
    public TimeSpan PastDueTolerance { get; set; } = TimeSpan.FromSeconds(2);
}
