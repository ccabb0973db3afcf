namespace Serverless.Hosting;

/// <summary>
/// Triggers the function on an NCRONTAB schedule with seconds (<c>sec min hour day month weekday</c>, UTC),
/// once per occurrence across all hosts; <c>%Setting%</c> reads the schedule from configuration.
/// The parameter is a <see cref="TimerInfo"/>.
/// </summary>
public sealed class TimerTriggerAttribute(string schedule) : TriggerAttribute
{
    public string Schedule { get; } = schedule;

    /// <summary>Also invoke when the host starts.</summary>
    public bool RunOnStartup { get; set; }
}
