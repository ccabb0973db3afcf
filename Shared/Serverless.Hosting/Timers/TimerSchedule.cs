namespace Serverless.Hosting.Timers;

/// <summary>A named schedule and what to run on each occurrence.</summary>
/// <param name="Name">Unique per host id; names the status blob and the singleton lease.</param>
/// <param name="Callback">Runs once per occurrence across all hosts sharing the storage and host id.</param>
public sealed record TimerSchedule(string Name, CronSchedule Schedule, Func<TimerInfo, CancellationToken, Task> Callback, bool RunOnStartup = false);
