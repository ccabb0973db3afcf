using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Serverless.Hosting.Telemetry;

/// <summary>The host's traces and metrics (source and meter <c>Serverless.Hosting</c>).</summary>
public static class HostTelemetry
{
    public const string Name = "Serverless.Hosting";

    public static ActivitySource ActivitySource { get; } = new(Name, typeof(HostTelemetry).Assembly.GetName().Version?.ToString());

    public static Meter Meter { get; } = new(Name, typeof(HostTelemetry).Assembly.GetName().Version?.ToString());

    public static Counter<long> Invocations { get; } = Meter.CreateCounter<long>("serverless.functions.invocations", description: "Function invocations by function and outcome.");

    public static Histogram<double> InvocationDuration { get; } = Meter.CreateHistogram<double>("serverless.functions.invocation.duration", unit: "ms", description: "Duration of function invocations.");
}
