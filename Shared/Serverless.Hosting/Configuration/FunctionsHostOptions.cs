namespace Serverless.Hosting.Configuration;

/// <summary>Host-wide settings: host.json's top level plus the host's identity.</summary>
public sealed class FunctionsHostOptions
{
    /// <summary>Configuration section of host.json, as Azure Functions names it.</summary>
    public const string HostJsonSection = "AzureFunctionsJobHost";

    /// <summary>
    /// Identifies this app's hosts in shared storage (blob receipts, timer status, singleton locks).
    /// Hosts with the same id share that state; setting <c>AzureFunctionsWebHost:hostId</c>.
    /// </summary>
    public string HostId { get; set; } = "serverless-mlops";

    /// <summary>Longest an invocation may run (host.json <c>functionTimeout</c>); <c>null</c> for unbounded.</summary>
    public TimeSpan? FunctionTimeout { get; set; }

    /// <summary>Longest in-flight invocations may take to finish when the host stops before they are cancelled.</summary>
    public TimeSpan DrainTimeout { get; set; } = TimeSpan.FromSeconds(20);

    /// <summary>The folder holding host.json (the repository root locally); state files such as <c>.local/</c> go there.</summary>
    public string RootPath { get; set; } = Directory.GetCurrentDirectory();
}
