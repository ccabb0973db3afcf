using Serverless.Hosting.Timers;

namespace Serverless.Functions.Schedules;

/// <summary>A project's schedule occurrence claimed by this host: the project, its cron text and the occurrence.</summary>
public sealed record ProjectOccurrence(string Project, string Cron, DueOccurrence Due);
