namespace Serverless.Hosting.Configuration;

/// <summary>host.json <c>extensions.durableTask</c> (only what the host itself needs to know).</summary>
public sealed class DurableTaskOptions
{
    public const string Section = FunctionsHostOptions.HostJsonSection + ":extensions:durableTask";

    /// <summary>Task hub name: prefix of its tables, queues and containers.</summary>
    public string HubName { get; set; } = "mlops";
}
